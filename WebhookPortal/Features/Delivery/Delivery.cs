using Microsoft.EntityFrameworkCore.Query;
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
    /// count, and copies its status and error onto the delivery. The state (Status, schedule, lease) is the caller's to set with one of
    /// the transitions below.
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

    // The state transitions below are the only writers of Status, NextAttemptAt, CompletedAt and the lease, so every path
    // leaves the four consistent: an ended delivery has no schedule and no lease, a pending one has no completion time. The
    // Set… twins are the same transitions for bulk updates (ExecuteUpdate), which never load the rows.

    /// <summary>
    /// Leases the pending delivery to <paramref name="owner"/> until <paramref name="until"/> (UTC): no dispatcher claims it
    /// meanwhile. Throws <see cref="InvalidOperationException"/> unless it is <see cref="DeliveryStatus.Pending"/>.
    /// </summary>
    public void Lease(string owner, DateTime until)
    {
        EnsurePending(nameof(Lease));
        LeaseOwner = owner;
        LeaseUntil = until;
    }

    /// <summary>Ends the pending delivery as <see cref="DeliveryStatus.Succeeded"/> at <paramref name="now"/> (UTC), releasing its lease.</summary>
    public void Succeed(DateTime now) => End(DeliveryStatus.Succeeded, now, nameof(Succeed));

    /// <summary>
    /// Ends the pending delivery as <see cref="DeliveryStatus.Failed"/> at <paramref name="now"/> (UTC), releasing its lease:
    /// the retry schedule ran out, or the failure is permanent.
    /// </summary>
    public void Fail(DateTime now) => End(DeliveryStatus.Failed, now, nameof(Fail));

    /// <summary>Keeps the delivery pending, due again at <paramref name="at"/> (UTC), and releases its lease.</summary>
    public void ScheduleRetry(DateTime at)
    {
        EnsurePending(nameof(ScheduleRetry));
        NextAttemptAt = at;
        CompletedAt = null;
        Release();
    }

    /// <summary>
    /// Puts the pending delivery back unattempted, due at <paramref name="at"/> (UTC), with its lease released; a
    /// <paramref name="note"/> (a serialized <see cref="CodedMessage"/>) replaces <see cref="LastError"/> to say why it waits.
    /// </summary>
    public void Defer(DateTime at, string? note = null)
    {
        EnsurePending(nameof(Defer));
        NextAttemptAt = at;
        if (note is not null)
        {
            LastError = note;
        }

        Release();
    }

    /// <summary>Gives up the lease, whoever held it, and changes nothing else: the delivery keeps its status and schedule.</summary>
    public void Release()
    {
        LeaseUntil = null;
        LeaseOwner = null;
    }

    /// <summary>
    /// Ends the pending delivery as <see cref="DeliveryStatus.Cancelled"/> at <paramref name="now"/> (UTC) with
    /// <paramref name="reason"/> as its last error. The lease stays: an attempt in flight is recorded as history, and nothing
    /// requeues the delivery before that attempt's lease ends.
    /// </summary>
    public void Cancel(CodedMessage reason, DateTime now)
    {
        EnsurePending(nameof(Cancel));
        Status = DeliveryStatus.Cancelled;
        NextAttemptAt = null;
        CompletedAt = now;
        LastError = reason.Serialize();
    }

    /// <summary>
    /// Makes the delivery pending and due at <paramref name="now"/> (UTC) whatever its status (Retry now, Redeliver, Recover),
    /// and drops a lease its owner can no longer hold: callers requeue only deliveries without a live lease.
    /// </summary>
    public void Requeue(DateTime now)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = now;
        CompletedAt = null;
        Release();
    }

    /// <summary><see cref="Release"/> for a bulk update.</summary>
    internal static void SetReleased(UpdateSettersBuilder<Delivery> setters) => setters
        .SetProperty(d => d.LeaseUntil, (DateTime?)null)
        .SetProperty(d => d.LeaseOwner, (string?)null);

    /// <summary><see cref="Defer"/> for a bulk update of pending deliveries.</summary>
    internal static void SetDeferred(UpdateSettersBuilder<Delivery> setters, DateTime at, string? note)
    {
        setters.SetProperty(d => d.NextAttemptAt, at);
        if (note is not null)
        {
            setters.SetProperty(d => d.LastError, note);
        }

        SetReleased(setters);
    }

    /// <summary><see cref="Cancel"/> for a bulk update of pending deliveries.</summary>
    internal static void SetCancelled(UpdateSettersBuilder<Delivery> setters, CodedMessage reason, DateTime now) => setters
        .SetProperty(d => d.Status, DeliveryStatus.Cancelled)
        .SetProperty(d => d.NextAttemptAt, (DateTime?)null)
        .SetProperty(d => d.CompletedAt, now)
        .SetProperty(d => d.LastError, reason.Serialize());

    /// <summary><see cref="Requeue"/> for a bulk update of deliveries without a live lease.</summary>
    internal static void SetRequeued(UpdateSettersBuilder<Delivery> setters, DateTime now)
    {
        setters.SetProperty(d => d.Status, DeliveryStatus.Pending)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.CompletedAt, (DateTime?)null);
        SetReleased(setters);
    }

    private void End(DeliveryStatus status, DateTime now, string transition)
    {
        EnsurePending(transition);
        Status = status;
        NextAttemptAt = null;
        CompletedAt = now;
        Release();
    }

    private void EnsurePending(string transition)
    {
        if (Status != DeliveryStatus.Pending)
        {
            throw new InvalidOperationException($"Delivery {Id} is {Status}; {transition} applies to a pending delivery.");
        }
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
            delivery.Fail(now);
            delivery.LastError = new CodedMessage(MessageCodes.TemplateError, MessageArg.OfList(ex.Errors.Select(e => e.ToStored()), "; ")).Serialize();
        }

        return delivery;
    }
}
