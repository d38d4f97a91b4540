using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>A delivery with its rendered request (secret header values masked) and every attempt.</summary>
/// <param name="MessageId">The <c>webhook-id</c> header value.</param>
/// <param name="Body">The rendered body; null for GET.</param>
public sealed record DeliveryDetail(DeliverySummary Delivery, string MessageId, string? Body, IReadOnlyList<WebhookHeader> Headers, IReadOnlyList<AttemptResponse> Attempts)
{
    /// <summary>The detail of <paramref name="delivery"/>, read with its attempts; errors in the current UI language.</summary>
    public static DeliveryDetail From(Delivery delivery) => new(DeliverySummary.From(delivery), delivery.MessageId, delivery.Body,
        [.. delivery.Headers.Select(h => h.Secret ? h with { Value = WebhookPreview.Masked } : h)],
        [.. delivery.Attempts.OrderBy(a => a.Number).Select(a =>
            new AttemptResponse(a.Number, a.StartedAt, a.DurationMs, a.StatusCode, a.Succeeded, a.ResponseExcerpt, MessageText.Render(a.Error)))]);
}
