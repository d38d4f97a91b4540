namespace WebhookPortal.Features.Delivery;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its first attempt or a retry.</summary>
    Pending = 0,
    Succeeded = 1,
    /// <summary>Retries exhausted or a permanent error.</summary>
    Failed = 2,
    /// <summary>Its webhook was deleted before it could be sent, or an administrator cancelled it while it was paused.</summary>
    Cancelled = 3,
    /// <summary>
    /// Never stored: a stored <see cref="Pending"/> delivery whose webhook exists and is disabled (see <see cref="PausedDeliveries"/>);
    /// pages and the API show it. Nothing is sent until the webhook is enabled again; then it goes in its turn.
    /// </summary>
    Paused = 4,
}
