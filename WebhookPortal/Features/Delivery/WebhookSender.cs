using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Sends one attempt of a delivery over a typed <see cref="HttpClient"/> whose resilience handler applies the attempt
/// timeout and quick retries. Never throws for what the receiver does; the outcome says what happened.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time, IOptions<DeliveryOptions> options, SecretProtector secrets)
{
    /// <summary>A request option: when true the resilience pipeline makes no quick retries for the request.</summary>
    public static readonly HttpRequestOptionsKey<bool> SendOnce = new("WebhookPortal.SendOnce");

    /// <summary>
    /// A request option the resilience pipeline fills with the first failed try (an exception or a transient answer) before
    /// it retries; it stays empty when no try failed or the only failures were the open circuit's refusals.
    /// </summary>
    public static readonly HttpRequestOptionsKey<StrongBox<Outcome<HttpResponseMessage>?>> FirstFailure = new("WebhookPortal.FirstFailure");

    /// <summary>The <c>User-Agent</c> sent with every request: <c>WebhookPortal/&lt;version&gt;</c>.</summary>
    public static readonly string UserAgent = "WebhookPortal/" +
        (typeof(WebhookSender).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>
    /// The headers every attempt carries besides <c>Content-Type</c> (docs/architecture.md, "Request headers"): User-Agent, <c>webhook-id</c> (the same on every
    /// attempt), <c>webhook-timestamp</c> (Unix seconds of <paramref name="now"/>), <c>webhook-sequence</c> (the event's per-user
    /// <see cref="Delivery.Sequence"/>, decimal) and <c>X-Webhook-Event</c>.
    /// </summary>
    public static IEnumerable<(string Name, string Value)> Headers(Delivery delivery, DateTimeOffset now) =>
    [
        ("User-Agent", UserAgent),
        ("webhook-id", delivery.MessageId),
        ("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ("webhook-sequence", delivery.Sequence.ToString(CultureInfo.InvariantCulture)),
        ("X-Webhook-Event", delivery.EventType),
    ];

    /// <summary>Sends <paramref name="delivery"/> once (quick retries included) and reports the outcome.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled (shutdown).</exception>
    public async Task<AttemptOutcome> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || !WebhookPortal.Features.Webhooks.WebhookMethods.All.Contains(delivery.Method))
        {
            // Stored before validation existed, or edited in the database: no retry can make it sendable.
            return AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.InvalidRequest, delivery.Method, delivery.Url), TimeSpan.Zero);
        }

        var now = time.GetUtcNow();
        var target = WebhookTargets.For(delivery.Target);
        string? body;
        // Secrets are stored encrypted and decrypted only here, for this attempt.
        string? robotSecret, signingSecret, previousSigningSecret;
        List<WebhookHeader> customHeaders;
        try
        {
            robotSecret = secrets.Unprotect(delivery.Webhook?.RobotSecret);
            signingSecret = secrets.Unprotect(delivery.Webhook?.SigningSecret);
            previousSigningSecret = delivery.Webhook?.PreviousSigningSecretExpiresAt > now.UtcDateTime ? secrets.Unprotect(delivery.Webhook.PreviousSigningSecret) : null;
            customHeaders = [.. delivery.Headers.Select(h => h.Secret ? h with { Value = secrets.Unprotect(h.Value)! } : h)];
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.SecretsUndecryptable), TimeSpan.Zero);
        }

        try
        {
            // A robot's own signature is computed for this attempt only; the stored delivery keeps the request as rendered.
            (var signedUrl, body) = target.Sign(robotSecret, delivery.Url, delivery.Body, now);
            url = new Uri(signedUrl);
        }
        catch (FormatException ex)
        {
            return AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.SignFailed, delivery.Target.ToString(), ex.Message), TimeSpan.Zero);
        }

        using var request = new HttpRequestMessage(new HttpMethod(delivery.Method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        // Custom headers first; the portal's own are added after and reserved names were refused when saved, so a
        // custom header cannot stand in for webhook-id or a signature.
        foreach (var header in customHeaders.Where(h => !WebhookHeaders.IsReserved(h.Name)))
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        foreach (var (name, value) in Headers(delivery, now))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (signingSecret is { Length: > 0 } secret)
        {
            // Signed fresh for every attempt: the timestamp is part of what is signed. During a rotation the old secret
            // signs too (space-separated, as Standard Webhooks specifies), so receivers not yet switched still verify.
            var timestamp = now.ToUnixTimeSeconds();
            var signature = StandardWebhooks.Sign(secret, delivery.MessageId, timestamp, body ?? "");
            if (previousSigningSecret is { Length: > 0 } previous)
            {
                signature += " " + StandardWebhooks.Sign(previous, delivery.MessageId, timestamp, body ?? "");
            }

            request.Headers.TryAddWithoutValidation("webhook-signature", signature);
        }

        if (delivery.EventType == DeliveryActions.TestEventType)
        {
            // Send test is one request whose answer someone is waiting for: no quick retries (see DeliveryExtensions).
            request.Options.Set(SendOnce, true);
        }

        // The resilience pipeline keeps here the first failed try of this attempt (see DeliveryExtensions), so an attempt
        // whose quick retry meets the open circuit still reports what happened to the request that was sent.
        var firstFailure = new StrongBox<Outcome<HttpResponseMessage>?>();
        request.Options.Set(FirstFailure, firstFailure);
        var started = time.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            // The resilience pipeline's timeout ends when the headers arrive; the body gets its own attempt timeout, so a
            // receiver that stalls mid-body cannot hold a worker (and its lease) forever.
            using var bodyTimeout = new CancellationTokenSource(options.Value.AttemptTimeout, time);
            using var bodyToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bodyTimeout.Token);
            var status = (int)response.StatusCode;
            string? excerpt;
            try
            {
                excerpt = await ReadExcerptAsync(response, bodyToken.Token);
            }
            catch (IOException ex)
            {
                // The connection broke in the middle of the body: the answer is incomplete, so even a 2xx failed and is
                // retried (the receiver can de-duplicate by webhook-id); a redirect or permanent 4xx stays permanent.
                var error = new CodedMessage(MessageCodes.BodyBroken, status.ToString(CultureInfo.InvariantCulture), ex.Message);
                return status is >= 300 and < 400 || IsPermanent(response.StatusCode)
                    ? AttemptOutcome.PermanentFailure(error, time.GetElapsedTime(started), status)
                    : AttemptOutcome.RetryableFailure(error, time.GetElapsedTime(started), status);
            }

            var elapsed = time.GetElapsedTime(started);
            if (target.Judge(status, excerpt) is { } verdict)
            {
                return AttemptOutcome.Judged(verdict, status, excerpt, elapsed);
            }

            return status switch
            {
                >= 200 and < 300 => AttemptOutcome.Success(status, excerpt, elapsed),
                >= 300 and < 400 => AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.RedirectNotFollowed,
                    response.Headers.Location is { } location ? location.ToString() : new CodedMessage(MessageCodes.NoLocation)), elapsed, status, excerpt),
                429 or 503 => AttemptOutcome.Throttled(HttpError(response), elapsed, status, excerpt,
                    target.RetryAfterInBody(status, excerpt) ?? RetryAfter(response)),
                _ when IsPermanent(response.StatusCode) => AttemptOutcome.PermanentFailure(HttpError(response), elapsed, status, excerpt),
                _ => AttemptOutcome.RetryableFailure(HttpError(response), elapsed, status, excerpt),
            };
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or BrokenCircuitException or HttpRequestException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Failed(ex, firstFailure.Value, url.Authority, time.GetElapsedTime(started));
        }
    }

    private AttemptOutcome Failed(Exception ex, Outcome<HttpResponseMessage>? earlier, string authority, TimeSpan elapsed) => ex switch
    {
        // A quick retry met the open circuit after an earlier try of this attempt was sent and failed: the attempt was
        // made, and what happened to the request that went out is its error.
        BrokenCircuitException when earlier is { Exception: { } sent } && sent is not BrokenCircuitException => Failed(sent, null, authority, elapsed),
        BrokenCircuitException when earlier is { Result: { } answer } =>
            AttemptOutcome.RetryableFailure(HttpError(answer), elapsed, (int)answer.StatusCode),
        // Nothing went out: not an attempt. The delivery waits out the break (the breaker then lets a test request through).
        BrokenCircuitException => AttemptOutcome.CircuitOpen(authority, options.Value.CircuitBreakerBreakDuration),
        TimeoutRejectedException or OperationCanceledException => AttemptOutcome.RetryableFailure(
            new CodedMessage(MessageCodes.TimedOut, options.Value.AttemptTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)), elapsed),
        // A name that does not resolve now may resolve later (a DNS outage): retried on the schedule.
        HttpRequestException { InnerException: NetworkGuardException { Unresolved: true } unresolved } => AttemptOutcome.RetryableFailure(unresolved.Reason, elapsed),
        // The address is not one webhooks may reach; retrying cannot change that (only configuration can).
        HttpRequestException { InnerException: NetworkGuardException refused } =>
            AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.GuardRefused, refused.Reason), elapsed),
        HttpRequestException request => AttemptOutcome.RetryableFailure(new CodedMessage(MessageCodes.RequestFailed, Describe(request)), elapsed),
        _ => AttemptOutcome.RetryableFailure(new CodedMessage(MessageCodes.RequestFailed, ex.Message), elapsed),
    };

    // The attempt log's text for an unsuccessful answer: "HTTP 503 Service Unavailable".
    private static string HttpError(HttpResponseMessage response) =>
        $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    // 4xx means the request itself is wrong and will stay wrong, except the codes that ask to come back later.
    private static bool IsPermanent(HttpStatusCode code) =>
        (int)code is >= 400 and < 500 && code is not (HttpStatusCode.RequestTimeout or HttpStatusCode.Conflict
            or (HttpStatusCode)425 or HttpStatusCode.TooManyRequests);

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException?.Message;
        return inner is null || ex.Message.Contains(inner, StringComparison.Ordinal) ? ex.Message : $"{ex.Message} ({inner})";
    }

    private async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[options.Value.MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        if (read == 0)
        {
            return null;
        }

        // PostgreSQL refuses a NUL character in text: a receiver answering one would make the attempt unrecordable, and the
        // delivery would be sent again and again. U+FFFD is what a reader sees for it anyway.
        var text = Encoding.UTF8.GetString(buffer, 0, read).Replace('\0', '\uFFFD');
        if (text.Length <= DeliveryAttempt.ExcerptMaxLength)
        {
            return text;
        }

        var cut = DeliveryAttempt.ExcerptMaxLength;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut];
    }
}
