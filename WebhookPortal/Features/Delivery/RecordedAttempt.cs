namespace WebhookPortal.Features.Delivery;

/// <summary>An attempt as <see cref="DeliveryStore.RecordAsync"/> stored it.</summary>
/// <param name="Attempt">What was recorded.</param>
/// <param name="Number">The attempt's number within its delivery (1 for the first); no other attempt of the delivery has it.</param>
/// <param name="Status">The delivery's stored status after the record.</param>
/// <param name="RetryAt">When the delivery is due again (UTC), when this record scheduled a retry; else null.</param>
/// <param name="Applied">
/// Whether this record set the delivery's state: the recording owner still held its lease and it was pending, or the
/// attempt succeeded on a delivery still pending after its lease had passed on. False when the attempt is history only:
/// the delivery was cancelled or had ended meanwhile, or its lease had run out and this attempt failed.
/// </param>
public sealed record RecordedAttempt(FinishedAttempt Attempt, int Number, DeliveryStatus Status, DateTime? RetryAt, bool Applied);
