using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>A delivery with its rendered request (secret header values masked) and every attempt.</summary>
/// <param name="MessageId">The <c>webhook-id</c> header value.</param>
/// <param name="Body">The rendered body; null for GET.</param>
public sealed record DeliveryDetail(DeliverySummary Delivery, string MessageId, string? Body, IReadOnlyList<WebhookHeader> Headers, IReadOnlyList<AttemptResponse> Attempts);
