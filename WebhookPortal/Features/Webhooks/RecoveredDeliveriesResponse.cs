namespace WebhookPortal.Features.Webhooks;

/// <summary>What recovering a webhook's failed deliveries came to.</summary>
/// <param name="Requeued">How many failed deliveries were queued again; 0 when none failed since then or all are queued already.</param>
/// <param name="Since">The time asked for, UTC.</param>
/// <param name="Paused">True when the webhook is disabled: the deliveries wait as Paused until it is enabled.</param>
public sealed record RecoveredDeliveriesResponse(int Requeued, DateTime Since, bool Paused);
