namespace WebhookPortal.Features.Dashboard;

/// <summary>Deliveries created in one hour, by their state now. Cancelled deliveries are left out.</summary>
/// <param name="Start">Start of the hour, UTC.</param>
public sealed record DeliveryHour(DateTime Start, int Succeeded, int Failed, int Pending);
