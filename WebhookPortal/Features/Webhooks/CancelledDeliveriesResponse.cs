namespace WebhookPortal.Features.Webhooks;

/// <summary>What cancelling a disabled webhook's paused deliveries came to.</summary>
/// <param name="Cancelled">How many deliveries were cancelled; 0 when none was paused (the webhook is enabled or its queue empty).</param>
public sealed record CancelledDeliveriesResponse(int Cancelled);
