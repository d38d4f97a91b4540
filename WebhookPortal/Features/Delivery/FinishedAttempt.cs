namespace WebhookPortal.Features.Delivery;

/// <summary>An ended attempt of a leased delivery, to be recorded by <see cref="DeliveryStore.RecordAsync"/>.</summary>
/// <param name="Delivery">The delivery as it was claimed; its <see cref="Delivery.Id"/> is read.</param>
/// <param name="Outcome">How the attempt ended.</param>
/// <param name="Once">
/// Sent once (Send test): the delivery ends with this attempt, Succeeded or Failed, never retried, and its failure does not
/// run the auto-disable check.
/// </param>
public sealed record FinishedAttempt(Delivery Delivery, AttemptOutcome Outcome, bool Once = false);
