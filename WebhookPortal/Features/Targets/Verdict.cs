using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Targets;

/// <summary>What a receiver's answer means for the delivery, by its kind's rule (<see cref="TargetDefinition.Judge"/>).</summary>
public sealed record Verdict
{
    private Verdict(bool succeeded, bool permanent, string? error, bool rateLimited, TimeSpan? retryAfter) =>
        (Succeeded, Permanent, Error, RateLimited, RetryAfter) = (succeeded, permanent, error, rateLimited, retryAfter);

    /// <summary>The message was delivered.</summary>
    public bool Succeeded { get; }

    /// <summary>Retrying cannot help: the delivery fails at once.</summary>
    public bool Permanent { get; }

    /// <summary>Why it is not a success, for the attempt log, as <see cref="Delivery.AttemptOutcome.Error"/> stores it; null on success.</summary>
    public string? Error { get; }

    /// <summary>The platform's rate-limit answer: the retry waits at least <c>Webhooks:Delivery:MinRetryAfter</c>.</summary>
    public bool RateLimited { get; }

    /// <summary>A wait the platform's answer implies (DingTalk throttles for 10 minutes); null when it implies none.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Delivered.</summary>
    public static Verdict Success() => new(true, false, null, false, null);

    /// <summary>Not delivered, and never will be as sent (an invalid robot key, a rejected signature).</summary>
    public static Verdict PermanentFailure(MessageArg error) => new(false, true, Stored(error), false, null);

    /// <summary>Not delivered this time; the retry schedule tries again.</summary>
    public static Verdict RetryableFailure(MessageArg error) => new(false, false, Stored(error), false, null);

    /// <summary>Not delivered because the platform's rate limit was hit; retried after <paramref name="wait"/> when the platform says how long, and no sooner than <c>Webhooks:Delivery:MinRetryAfter</c>.</summary>
    public static Verdict Throttled(MessageArg error, TimeSpan? wait = null) => new(false, false, Stored(error), true, wait);

    private static string Stored(MessageArg error) => error.Message?.Serialize() ?? error.Text ?? "";
}
