namespace WebhookPortal.Features.Delivery;

/// <summary>What <see cref="DeliveryActions.SendTestAsync"/> came to.</summary>
/// <param name="DeliveryId">The recorded test delivery; null when nothing was recorded (the webhook is gone).</param>
/// <param name="Status">Succeeded or Failed.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null when no answer came.</param>
/// <param name="ResponseExcerpt">The start of the receiver's answer.</param>
/// <param name="Error">Why it failed, in the current UI language, or null.</param>
public sealed record TestSendResult(Guid? DeliveryId, DeliveryStatus Status, int? StatusCode, string? ResponseExcerpt, string? Error, TimeSpan Duration)
{
    /// <summary>Whether the receiver accepted the test.</summary>
    public bool Succeeded => Status == DeliveryStatus.Succeeded;

    /// <summary>A result for a test that could not be sent at all.</summary>
    public static TestSendResult NotSent(string error) => new(null, DeliveryStatus.Failed, null, null, error, TimeSpan.Zero);
}
