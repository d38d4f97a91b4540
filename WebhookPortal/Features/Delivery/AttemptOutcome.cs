using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>What one attempt came to; made by the factories, which say what happens next.</summary>
public sealed record AttemptOutcome
{
    private AttemptOutcome(
        int? statusCode, bool succeeded, bool permanent, string? responseExcerpt, string? error, TimeSpan duration, TimeSpan? retryAfter,
        bool rateLimited, string? waitNote = null) =>
        (StatusCode, Succeeded, Permanent, ResponseExcerpt, Error, Duration, RetryAfter, RateLimited, WaitNote) =
        (statusCode, succeeded, permanent, responseExcerpt, error, duration, retryAfter, rateLimited, waitNote);

    /// <summary>HTTP status, or null when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>The receiver took the message.</summary>
    public bool Succeeded { get; }

    /// <summary>Retrying cannot help (a 4xx such as 400/404, a redirect, a platform's permanent error code): the delivery fails.</summary>
    public bool Permanent { get; }

    /// <summary>At most <see cref="DeliveryAttempt.ExcerptMaxLength"/> characters of the body; null when none was read.</summary>
    public string? ResponseExcerpt { get; }

    /// <summary>
    /// Why the attempt failed, for the attempt log, as stored: a serialized <see cref="CodedMessage"/> or text from outside
    /// (a platform's error); <see cref="MessageText"/> shows it. Null on success.
    /// </summary>
    public string? Error { get; }

    /// <summary>How long the attempt took; zero when nothing was sent.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The wait the receiver asked for (Retry-After, or implied by a platform code), from now; only when <see cref="RateLimited"/>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>A 429, a 503 or a platform's rate-limit code: retried no sooner than <see cref="DeliveryOptions.MinRetryAfter"/>.</summary>
    public bool RateLimited { get; }

    /// <summary>
    /// Nothing was sent: the host's circuit is open. Not an attempt; the dispatcher puts the delivery back to wait
    /// <see cref="RetryAfter"/>, with this note (a serialized <see cref="CodedMessage"/>) as its last error. Null for every
    /// other outcome.
    /// </summary>
    public string? WaitNote { get; }

    /// <summary>Whether nothing was sent (see <see cref="WaitNote"/>).</summary>
    public bool NotSent => WaitNote is not null;

    /// <summary>The receiver answered HTTP <paramref name="status"/> and took the message.</summary>
    public static AttemptOutcome Success(int status, string? excerpt, TimeSpan duration) =>
        new(status, true, false, excerpt, null, duration, null, false);

    /// <summary>Failed in a way no retry can mend: the delivery fails at once. <paramref name="status"/> null when nothing was answered.</summary>
    public static AttemptOutcome PermanentFailure(MessageArg error, TimeSpan duration, int? status = null, string? excerpt = null) =>
        new(status, false, true, excerpt, Stored(error), duration, null, false);

    /// <summary>Failed this time (no answer, a 5xx, a broken connection): the retry schedule tries again.</summary>
    public static AttemptOutcome RetryableFailure(MessageArg error, TimeSpan duration, int? status = null, string? excerpt = null) =>
        new(status, false, false, excerpt, Stored(error), duration, null, false);

    /// <summary>
    /// Refused by the receiver's rate limit (HTTP <paramref name="status"/> 429 or 503, or a platform's code): retried after
    /// <paramref name="retryAfter"/> when it was given, and no sooner than <see cref="DeliveryOptions.MinRetryAfter"/>.
    /// </summary>
    public static AttemptOutcome Throttled(MessageArg error, TimeSpan duration, int status, string? excerpt, TimeSpan? retryAfter) =>
        new(status, false, false, excerpt, Stored(error), duration, retryAfter, true);

    /// <summary>
    /// Refused by the open circuit of host <paramref name="authority"/> (host:port) before anything was sent: waits
    /// <paramref name="wait"/> (the break) without using an attempt. <see cref="Error"/> says it was not sent, for a caller
    /// that must record it anyway (Send test).
    /// </summary>
    public static AttemptOutcome CircuitOpen(string authority, TimeSpan wait) =>
        new(null, false, false, null, new CodedMessage(MessageCodes.CircuitOpenNotSent, authority).Serialize(), TimeSpan.Zero, wait, false,
            new CodedMessage(MessageCodes.CircuitWait, authority).Serialize());

    /// <summary>The outcome of an answer with HTTP <paramref name="status"/> that its target's rule judged as <paramref name="verdict"/>.</summary>
    public static AttemptOutcome Judged(Verdict verdict, int status, string? excerpt, TimeSpan duration) =>
        new(status, verdict.Succeeded, verdict.Permanent, excerpt, verdict.Error, duration, verdict.RetryAfter, verdict.RateLimited);

    private static string Stored(MessageArg error) => error.Message?.Serialize() ?? error.Text ?? "";
}
