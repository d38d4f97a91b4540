namespace WebhookPortal.Features.Delivery;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its first attempt or a retry.</summary>
    Pending = 0,
    Succeeded = 1,
    /// <summary>Retries exhausted or a permanent error.</summary>
    Failed = 2,
    /// <summary>Its webhook was deleted before it could be sent.</summary>
    Cancelled = 3,
}
