using System.Linq.Expressions;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The one rule of <see cref="DeliveryStatus.Paused"/>: a delivery stored Pending whose webhook exists and is disabled. The
/// dispatcher's claim, the delivery log's filters and projections, the dashboard and the API all read it from here.
/// </summary>
public static class PausedDeliveries
{
    /// <summary>Paused deliveries, as a query predicate (joins the webhook).</summary>
    public static readonly Expression<Func<Delivery, bool>> IsPaused =
        d => d.Status == DeliveryStatus.Pending && d.Webhook != null && !d.Webhook.Enabled;

    /// <summary>Pending deliveries that are not paused: no webhook any more (a row in its last moments) or an enabled one.</summary>
    public static readonly Expression<Func<Delivery, bool>> IsPendingNotPaused =
        d => d.Status == DeliveryStatus.Pending && (d.Webhook == null || d.Webhook.Enabled);

    /// <summary>
    /// The status shown for <paramref name="stored"/>: <see cref="DeliveryStatus.Paused"/> when it is Pending and
    /// <paramref name="webhookEnabled"/> is false; null means the webhook was deleted (or was not read).
    /// </summary>
    public static DeliveryStatus Shown(DeliveryStatus stored, bool? webhookEnabled) =>
        stored == DeliveryStatus.Pending && webhookEnabled == false ? DeliveryStatus.Paused : stored;

    /// <summary>The status shown for <paramref name="delivery"/>, read with its webhook.</summary>
    public static DeliveryStatus Shown(Delivery delivery) => Shown(delivery.Status, delivery.Webhook?.Enabled);
}
