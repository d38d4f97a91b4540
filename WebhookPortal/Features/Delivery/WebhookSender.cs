using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Sends one attempt of a delivery over the named <see cref="HttpClient"/> <see cref="ClientName"/>, whose resilience handler
/// applies the attempt timeout, quick retries and one circuit breaker per host. Never throws for what the receiver does; the
/// outcome says what happened. A singleton: one client is held and taken anew from <see cref="IHttpClientFactory"/> once per
/// handler lifetime, so the factory still rotates its handlers; per attempt only the request is built.
/// </summary>
public sealed class WebhookSender(
    IHttpClientFactory clients,
    IOptionsMonitor<HttpClientFactoryOptions> clientOptions,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    DecryptedSecrets secrets)
{
    /// <summary>The name of the <see cref="HttpClient"/> registered for webhooks (see DeliveryExtensions).</summary>
    public const string ClientName = nameof(WebhookSender);

    // What StringContent(body, Encoding.UTF8, "application/json") sent before, as the header's text.
    private const string JsonContentType = "application/json; charset=utf-8";

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

    private HeldClient? held;

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
        var now = time.GetUtcNow();
        if (!TryBuild(delivery, now, out var request, out var refused))
        {
            return refused;
        }

        using var sent = request;
        var url = request.RequestUri!;
        var target = WebhookTargets.For(delivery.Target);
        // The resilience pipeline keeps here the first failed try of this attempt (see DeliveryExtensions), so an attempt
        // whose quick retry meets the open circuit still reports what happened to the request that was sent.
        var firstFailure = new StrongBox<Outcome<HttpResponseMessage>?>();
        request.Options.Set(FirstFailure, firstFailure);
        var started = time.GetTimestamp();
        try
        {
            using var response = await Client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            string? excerpt;
            try
            {
                excerpt = await ReadExcerptAsync(response, cancellationToken);
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

    /// <summary>
    /// The request of one attempt of <paramref name="delivery"/> at <paramref name="now"/>: URL and body signed for a robot,
    /// custom headers, the portal's headers, the Standard Webhooks signature; or false and the outcome when it cannot be
    /// sent (an invalid method or URL, undecryptable secrets, a body the robot signature has no place in).
    /// </summary>
    internal bool TryBuild(Delivery delivery, DateTimeOffset now, [NotNullWhen(true)] out HttpRequestMessage? request, out AttemptOutcome refused)
    {
        request = null;
        refused = null!;
        var method = KnownMethod(delivery.Method);
        if (method is null || !Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            // Stored before validation existed, or edited in the database: no retry can make it sendable.
            refused = AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.InvalidRequest, delivery.Method, delivery.Url), TimeSpan.Zero);
            return false;
        }

        var target = WebhookTargets.For(delivery.Target);
        // Secrets are stored encrypted; their plain values are kept in memory once decrypted (see DecryptedSecrets).
        string? robotSecret;
        DecryptedSecrets.Secret? signingSecret, previousSigningSecret;
        string?[]? customValues = null;
        try
        {
            robotSecret = secrets.Unprotect(delivery.Webhook?.RobotSecret);
            signingSecret = secrets.Signing(delivery.Webhook?.SigningSecret);
            previousSigningSecret = delivery.Webhook?.PreviousSigningSecretExpiresAt > now.UtcDateTime ? secrets.Signing(delivery.Webhook.PreviousSigningSecret) : null;
            for (var i = 0; i < delivery.Headers.Count; i++)
            {
                if (delivery.Headers[i].Secret)
                {
                    customValues ??= new string?[delivery.Headers.Count];
                    customValues[i] = secrets.Unprotect(delivery.Headers[i].Value);
                }
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            refused = AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.SecretsUndecryptable), TimeSpan.Zero);
            return false;
        }

        string? body;
        try
        {
            // A robot's own signature is computed for this attempt only; the stored delivery keeps the request as rendered.
            (var signedUrl, body) = target.Sign(robotSecret, delivery.Url, delivery.Body, now);
            if (!ReferenceEquals(signedUrl, delivery.Url))
            {
                url = new Uri(signedUrl);
            }
        }
        catch (FormatException ex)
        {
            refused = AttemptOutcome.PermanentFailure(new CodedMessage(MessageCodes.SignFailed, delivery.Target.ToString(), ex.Message), TimeSpan.Zero);
            return false;
        }

        var message = new HttpRequestMessage(method, url);
        // Encoded once: the same bytes are sent and signed.
        var bodyBytes = body is null ? null : Encoding.UTF8.GetBytes(body);
        if (bodyBytes is not null)
        {
            message.Content = new ByteArrayContent(bodyBytes);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
        }

        // Custom headers first; the portal's own are added after and reserved names were refused when saved, so a
        // custom header cannot stand in for webhook-id or a signature.
        for (var i = 0; i < delivery.Headers.Count; i++)
        {
            var header = delivery.Headers[i];
            if (!WebhookHeaders.IsReserved(header.Name))
            {
                message.Headers.TryAddWithoutValidation(header.Name, header.Secret ? customValues![i] : header.Value);
            }
        }

        // The same list the delivery page and the preview show, so what they show is what is sent.
        foreach (var (name, value) in Headers(delivery, now))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var timestamp = now.ToUnixTimeSeconds();
        var messageId = delivery.MessageId;

        if (signingSecret is { Plain.Length: > 0 } secret)
        {
            // Signed fresh for every attempt: the timestamp is part of what is signed. During a rotation the old secret
            // signs too (space-separated, as Standard Webhooks specifies), so receivers not yet switched still verify.
            var signature = Sign(secret, messageId, timestamp, bodyBytes, body);
            if (previousSigningSecret is { Plain.Length: > 0 } previous)
            {
                signature += " " + Sign(previous, messageId, timestamp, bodyBytes, body);
            }

            message.Headers.TryAddWithoutValidation("webhook-signature", signature);
        }

        if (delivery.EventType == DeliveryActions.TestEventType)
        {
            // Send test is one request whose answer someone is waiting for: no quick retries (see DeliveryExtensions).
            message.Options.Set(SendOnce, true);
        }

        request = message;
        return true;
    }

    // An invalid secret throws the FormatException it always did (out of the attempt: the dispatcher records it as an error).
    private static string Sign(DecryptedSecrets.Secret secret, string messageId, long timestamp, byte[]? bodyBytes, string? body) =>
        secret.Key is { } key
            ? StandardWebhooks.Sign(key, messageId, timestamp, bodyBytes)
            : StandardWebhooks.Sign(secret.Plain, messageId, timestamp, body ?? "");

    // A method a webhook may use (as stored: upper case), as HttpMethod.Parse's shared instance; null for any other.
    private static HttpMethod? KnownMethod(string method) =>
        WebhookMethods.All.Contains(method) ? HttpMethod.Parse(method) : null;

    // The client from the factory, taken anew once its handler's lifetime has passed: the factory then hands out a new
    // handler chain and disposes the old one once no client holds it (the pipelines, and so the circuits, live in the
    // resilience registry and are the same for every chain).
    private HttpClient Client()
    {
        var current = held;
        if (current is null || (current.Lifetime != Timeout.InfiniteTimeSpan && time.GetElapsedTime(current.Taken) >= current.Lifetime))
        {
            current = new HeldClient(clients.CreateClient(ClientName), time.GetTimestamp(), clientOptions.Get(ClientName).HandlerLifetime);
            held = current;
        }

        return current.Http;
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
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            // Nothing to read (the usual answer of a receiver): no buffer, no timer.
            return null;
        }

        // The resilience pipeline's timeout ends when the headers arrive; the body gets its own attempt timeout, so a
        // receiver that stalls mid-body cannot hold a worker (and its lease) forever.
        // One source for both: the caller's cancellation (shutdown) cancels it too, and SendAsync tells them apart.
        using var bodyTimeout = new CancellationTokenSource(options.Value.AttemptTimeout, time);
        using var stopping = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), bodyTimeout);
        var token = bodyTimeout.Token;
        var max = options.Value.MaxResponseBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(token);
            var read = 0;
            int n;
            while (read < max && (n = await stream.ReadAsync(buffer.AsMemory(read, max - read), token)) > 0)
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
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed record HeldClient(HttpClient Http, long Taken, TimeSpan Lifetime);
}
