using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// One webhook × one user event: the outbox row. Holds the request as rendered when the event happened,
/// its state and its schedule; <see cref="Attempts"/> hold each HTTP exchange.
/// </summary>
public sealed class Delivery
{
    /// <summary>Also the Standard Webhooks <c>webhook-id</c>, as <see cref="MessageId"/>; the same on every attempt.</summary>
    public Guid Id { get; set; }

    /// <summary>Null once the webhook is deleted; the client ID and webhook name below keep the record readable.</summary>
    public int? WebhookId { get; set; }
    public Webhook? Webhook { get; set; }

    public string ClientId { get; set; } = "";
    public string WebhookName { get; set; } = "";

    /// <summary>The user event's id, shared by every delivery the event caused.</summary>
    public Guid EventId { get; set; }
    public UserAction Action { get; set; }
    /// <summary><c>user.created</c> … <c>user.logout</c>, or <c>webhook.test</c>.</summary>
    public string EventType { get; set; } = "";
    /// <summary>The id of the user the event is about.</summary>
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";

    /// <summary>
    /// The event's per-user sequence number (<see cref="UserSequence"/>): increases with every event about
    /// <see cref="UserId"/> that is queued, with gaps; sent as <c>webhook-sequence</c>. 0 for deliveries made before it existed.
    /// </summary>
    public long Sequence { get; set; }

    /// <summary>The webhook's target when the event happened; decides how the answer is judged.</summary>
    public WebhookTarget Target { get; set; }

    public string Method { get; set; } = "POST";
    /// <summary>The rendered URL.</summary>
    public string Url { get; set; } = "";
    /// <summary>The rendered body; null for GET.</summary>
    public string? Body { get; set; }
    /// <summary>The webhook's custom headers, rendered; sent before the portal's own headers, which they cannot replace.</summary>
    public List<WebhookHeader> Headers { get; set; } = [];

    public DeliveryStatus Status { get; set; }
    public int AttemptCount { get; set; }

    public DateTime CreatedAt { get; set; }
    /// <summary>When the next attempt is due (UTC); null once the delivery has ended.</summary>
    public DateTime? NextAttemptAt { get; set; }
    /// <summary>While set and in the future, a dispatcher owns the delivery; an expired lease means its owner died.</summary>
    public DateTime? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int? LastStatusCode { get; set; }
    /// <summary>The last attempt's error, or why the delivery ended unsent: a <see cref="CodedMessage"/> (older rows: English text); <see cref="MessageText"/> shows it.</summary>
    public string? LastError { get; set; }

    public List<DeliveryAttempt> Attempts { get; set; } = [];

    /// <summary>The Standard Webhooks message id sent as <c>webhook-id</c>: <c>msg_</c> + 32 hex digits.</summary>
    public string MessageId => "msg_" + Id.ToString("N");

    /// <summary>
    /// Appends an attempt with <paramref name="outcome"/>, ended at <paramref name="now"/> (UTC), numbered after the stored
    /// count, and copies its status and error onto the delivery. The state (Status, schedule, lease) is the caller's to set.
    /// </summary>
    /// <returns>The attempt's number (1 for the first).</returns>
    public int RecordAttempt(AttemptOutcome outcome, DateTime now)
    {
        AttemptCount++;
        Attempts.Add(new DeliveryAttempt
        {
            Number = AttemptCount,
            StartedAt = now - outcome.Duration,
            DurationMs = (int)Math.Min(int.MaxValue, outcome.Duration.TotalMilliseconds),
            StatusCode = outcome.StatusCode,
            Succeeded = outcome.Succeeded,
            ResponseExcerpt = outcome.ResponseExcerpt,
            Error = outcome.Error,
        });
        LastAttemptAt = now;
        LastStatusCode = outcome.StatusCode;
        LastError = outcome.Error;
        return AttemptCount;
    }

    /// <summary>
    /// A new pending delivery of <paramref name="userEvent"/> to <paramref name="webhook"/>, due at <paramref name="now"/> (UTC):
    /// URL, body and header values rendered now. When a template cannot render, the delivery is Failed with the reason
    /// instead, so the event stays visible.
    /// </summary>
    /// <param name="eventType">Sent as <c>X-Webhook-Event</c>: the action's event type, or <c>webhook.test</c>.</param>
    public static Delivery Render(Webhook webhook, string clientId, UserEvent userEvent, string eventType, DateTime now)
    {
        var delivery = new Delivery
        {
            Id = Guid.CreateVersion7(),
            WebhookId = webhook.Id,
            ClientId = clientId,
            WebhookName = webhook.Name,
            EventId = userEvent.EventId,
            Action = userEvent.Action,
            EventType = eventType,
            UserId = userEvent.User.Id,
            UserName = userEvent.User.UserName,
            Sequence = userEvent.Sequence,
            Target = webhook.Target,
            Method = webhook.Method,
            Url = webhook.Url,
            CreatedAt = now,
            NextAttemptAt = now,
            Status = DeliveryStatus.Pending,
        };
        try
        {
            var values = TemplateValues.For(userEvent, clientId, webhook.Name);
            delivery.Url = TemplateRenderer.RenderUrl(webhook.Url, values);
            delivery.Body = WebhookMethods.HasBody(webhook.Method) ? TemplateRenderer.RenderBody(webhook.Body, values) : null;
            delivery.Headers = [.. webhook.Headers.Select(h => h with { Value = TemplateRenderer.RenderHeaderValue(h.Value, values) })];
        }
        catch (TemplateException ex)
        {
            delivery.Status = DeliveryStatus.Failed;
            delivery.NextAttemptAt = null;
            delivery.CompletedAt = now;
            delivery.LastError = new CodedMessage(MessageCodes.TemplateError, MessageArg.OfList(ex.Errors.Select(e => e.ToStored()), "; ")).Serialize();
        }

        return delivery;
    }
}
