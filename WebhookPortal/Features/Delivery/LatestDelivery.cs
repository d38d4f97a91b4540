namespace WebhookPortal.Features.Delivery;

/// <summary>The state of a webhook's most recent delivery, as the client page shows it.</summary>
/// <param name="CreatedAt">UTC.</param>
public sealed record LatestDelivery(DeliveryStatus Status, DateTime CreatedAt, int AttemptCount);
