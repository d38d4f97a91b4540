namespace WebhookPortal.Features.Dashboard;

/// <summary>Deliveries created in one hour, by their state now. Cancelled deliveries are left out.</summary>
/// <param name="Start">Start of the hour, UTC.</param>
/// <param name="Pending">Waiting to be sent, not counting <paramref name="Paused"/>.</param>
/// <param name="Paused">Pending while their webhook is disabled (<see cref="Delivery.DeliveryStatus.Paused"/>).</param>
public sealed record DeliveryHour(DateTime Start, int Succeeded, int Failed, int Pending, int Paused = 0);
