using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Features.Webhooks;

/// <summary>What a test send came to.</summary>
/// <param name="DeliveryId">The recorded test delivery, or null when nothing was sent.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null without an answer.</param>
/// <param name="DurationMs">How long the attempt took, in milliseconds.</param>
public sealed record TestSendResponse(Guid? DeliveryId, DeliveryStatus Status, bool Succeeded, int? StatusCode, string? ResponseExcerpt, string? Error, int DurationMs)
{
    public static TestSendResponse From(TestSendResult result) => new(result.DeliveryId, result.Status, result.Succeeded, result.StatusCode,
        result.ResponseExcerpt, result.Error, (int)result.Duration.TotalMilliseconds);
}
