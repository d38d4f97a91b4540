namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Thrown by <see cref="DeliveryStore.RecordAsync"/> when part of a batch was recorded (committed) and recording the rest
/// failed; <see cref="Exception.InnerException"/> says why.
/// </summary>
public sealed class PartlyRecordedException : Exception
{
    /// <summary>An exception for <paramref name="recorded"/>, the attempts that were stored, and the failure of the others.</summary>
    public PartlyRecordedException(IReadOnlyList<RecordedAttempt> recorded, Exception inner)
        : base($"{recorded.Count} attempts of the batch were recorded; recording the others failed: {inner.Message}", inner) =>
        Recorded = recorded;

    /// <summary>The attempts that were recorded, in batch order.</summary>
    public IReadOnlyList<RecordedAttempt> Recorded { get; }
}
