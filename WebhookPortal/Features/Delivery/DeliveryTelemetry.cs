using System.Diagnostics;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The delivery engine's traces (activity source <c>WebhookPortal.Delivery</c>): one span <c>webhook.delivery.attempt</c> per
/// attempt the dispatcher sends, parent of the HTTP client span(s) of that attempt (quick retries included). Its attributes
/// name the delivery, the webhook, the attempt's number, the HTTP status and the outcome; never the URL, its query or a secret.
/// </summary>
public static class DeliveryTelemetry
{
    /// <summary>The activity source's name, for <c>AddSource</c> in an OpenTelemetry set-up or an <see cref="ActivityListener"/>.</summary>
    public const string SourceName = "WebhookPortal.Delivery";

    /// <summary>The span's name.</summary>
    public const string AttemptSpan = "webhook.delivery.attempt";

    /// <summary>Attribute: the delivery's id (a GUID, as stored).</summary>
    public const string DeliveryIdTag = "webhookportal.delivery.id";

    /// <summary>Attribute: the webhook's id (an integer); absent for a delivery whose webhook was deleted.</summary>
    public const string WebhookIdTag = "webhookportal.webhook.id";

    /// <summary>Attribute: the attempt's number, 1 for the first; a retry scheduled later gets the next.</summary>
    public const string AttemptTag = "webhookportal.delivery.attempt";

    /// <summary>Attribute: the receiver kind (<c>Generic</c>, <c>WeCom</c>, …).</summary>
    public const string TargetTag = "webhookportal.delivery.target";

    /// <summary>Attribute: the HTTP status the receiver answered; absent when no answer arrived.</summary>
    public const string StatusCodeTag = "http.response.status_code";

    /// <summary>Attribute: what the attempt came to, one of <see cref="Succeeded"/>, <see cref="Failed"/>, <see cref="Retryable"/>, <see cref="Abandoned"/>.</summary>
    public const string OutcomeTag = "webhookportal.delivery.outcome";

    /// <summary>Outcome: the receiver took the message.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Outcome: failed in a way no retry can mend.</summary>
    public const string Failed = "failed";

    /// <summary>Outcome: failed this time; the retry schedule decides, when the attempt is recorded, whether another follows.</summary>
    public const string Retryable = "retryable";

    /// <summary>Outcome: the portal stopped mid-attempt and handed the delivery back; no attempt is recorded.</summary>
    public const string Abandoned = "abandoned";

    private static readonly ActivitySource Source = new(SourceName, typeof(DeliveryTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of the next attempt of <paramref name="delivery"/> (as claimed); null when nobody listens.</summary>
    public static Activity? StartAttempt(Delivery delivery)
    {
        var span = Source.StartActivity(AttemptSpan, ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(DeliveryIdTag, delivery.Id.ToString());
            if (delivery.WebhookId is { } webhookId)
            {
                span.SetTag(WebhookIdTag, webhookId);
            }

            span.SetTag(AttemptTag, delivery.AttemptCount + 1);
            span.SetTag(TargetTag, delivery.Target.ToString());
        }

        return span;
    }

    /// <summary>Ends <paramref name="span"/> with what the attempt came to; an unsuccessful one gets the status Error.</summary>
    public static void EndAttempt(Activity? span, AttemptOutcome outcome)
    {
        if (span is null)
        {
            return;
        }

        if (outcome.StatusCode is { } status)
        {
            span.SetTag(StatusCodeTag, status);
        }

        span.SetTag(OutcomeTag, outcome.Succeeded ? Succeeded : outcome.Permanent ? Failed : Retryable);
        // The error text can quote the receiver's answer; the span keeps only its kind, the attempt log keeps the rest.
        span.SetStatus(outcome.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        span.Stop();
    }

    /// <summary>Ends <paramref name="span"/> of an attempt cut short by shutdown (<see cref="Abandoned"/>).</summary>
    public static void AbandonAttempt(Activity? span)
    {
        span?.SetTag(OutcomeTag, Abandoned);
        span?.Stop();
    }
}
