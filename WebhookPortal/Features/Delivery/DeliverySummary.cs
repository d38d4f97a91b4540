using System.Linq.Expressions;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Delivery;

/// <summary>A delivery in a list: its state, not its request.</summary>
/// <param name="Id">Also the <c>webhook-id</c> the receiver gets (as <c>msg_</c> + hex).</param>
/// <param name="WebhookId">Null once the webhook was deleted.</param>
/// <param name="EventType">user.created … user.logout, or webhook.test.</param>
/// <param name="UserId">The user the event is about.</param>
/// <param name="Url">The rendered URL, a robot's key masked.</param>
/// <param name="Status">As shown: <see cref="DeliveryStatus.Paused"/> for a pending delivery whose webhook is disabled (<see cref="PausedDeliveries"/>).</param>
/// <param name="LastError">Why the last attempt failed or the delivery ended unsent, in the current UI language (the request's for the API).</param>
/// <param name="NextAttemptAt">UTC; null once ended. A paused delivery keeps its place: it is due from then on, once its webhook is enabled.</param>
public sealed record DeliverySummary(
    Guid Id, int? WebhookId, string ClientId, string WebhookName, Guid EventId, string EventType, UserAction Action, string UserId, string UserName,
    WebhookTarget Target, string Method, string Url, DeliveryStatus Status, int AttemptCount, DateTime CreatedAt, DateTime? NextAttemptAt,
    DateTime? LastAttemptAt, DateTime? CompletedAt, int? LastStatusCode, string? LastError)
{
    /// <summary>
    /// The summary of a delivery as a query projection, so a list reads only these columns (not the request bodies); the
    /// URL is masked as it is read and the status is the one shown (its webhook's switch is read in the same query).
    /// </summary>
    public static readonly Expression<Func<Delivery, DeliverySummary>> Projection = d => new DeliverySummary(d.Id, d.WebhookId, d.ClientId,
        d.WebhookName, d.EventId, d.EventType, d.Action, d.UserId, d.UserName, d.Target, d.Method, WebhookTargets.MaskUrl(d.Url),
        PausedDeliveries.Shown(d.Status, d.Webhook == null ? null : d.Webhook.Enabled),
        d.AttemptCount, d.CreatedAt, d.NextAttemptAt, d.LastAttemptAt, d.CompletedAt, d.LastStatusCode, MessageText.Render(d.LastError));

    private static readonly Func<Delivery, DeliverySummary> Map = Projection.Compile();

    /// <summary>The summary of a delivery already read; read with its webhook, or a paused one shows as Pending.</summary>
    public static DeliverySummary From(Delivery delivery) => Map(delivery);
}
