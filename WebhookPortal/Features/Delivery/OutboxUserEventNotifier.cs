using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Writes one pending <see cref="Delivery"/> per enabled webhook watching the event's action, rendered now, into the
/// caller's <see cref="PortalDbContext"/> (the outbox). A template that cannot render still gets a delivery, marked
/// Failed with the reason, so no event disappears silently.
/// </summary>
public sealed class OutboxUserEventNotifier(
    PortalDbContext db, TimeProvider time, DeliverySignal signal, DeliveryFeed feed, ILogger<OutboxUserEventNotifier> logger) : IUserEventNotifier
{
    /// <inheritdoc />
    public async Task<int> NotifyAsync(UserEvent userEvent, CancellationToken cancellationToken = default)
    {
        var action = userEvent.Action;
        var webhooks = await db.Webhooks.AsNoTracking()
            .Where(w => w.Enabled && w.Object == WebhookObject.User && (w.Actions & action) == action)
            .Select(w => new { w.Id, w.Name, w.Url, w.Method, w.Body, w.Target, w.Headers, ClientId = w.Client!.ClientId })
            .ToListAsync(cancellationToken);
        if (webhooks.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var webhook in webhooks)
        {
            var delivery = new Delivery
            {
                Id = Guid.CreateVersion7(),
                WebhookId = webhook.Id,
                ClientId = webhook.ClientId,
                WebhookName = webhook.Name,
                EventId = userEvent.EventId,
                Action = action,
                EventType = action.EventType(),
                UserId = userEvent.User.Id,
                UserName = userEvent.User.UserName,
                Method = webhook.Method,
                Target = webhook.Target,
                Url = webhook.Url,
                CreatedAt = now,
                NextAttemptAt = now,
                Status = DeliveryStatus.Pending,
            };
            try
            {
                var values = TemplateValues.For(userEvent, webhook.ClientId, webhook.Name);
                delivery.Url = TemplateRenderer.RenderUrl(webhook.Url, values);
                delivery.Body = WebhookMethods.HasBody(webhook.Method) ? TemplateRenderer.RenderBody(webhook.Body, values) : null;
                delivery.Headers = webhook.Headers.Select(h => h with { Value = TemplateRenderer.RenderHeaderValue(h.Value, values) }).ToList();
            }
            catch (TemplateException ex)
            {
                logger.LogWarning("Webhook {WebhookId} could not render event {EventId}: {Errors}", webhook.Id, userEvent.EventId, ex.Message);
                delivery.Status = DeliveryStatus.Failed;
                delivery.NextAttemptAt = null;
                delivery.CompletedAt = now;
                delivery.LastError = "Template error: " + ex.Message;
            }

            db.Deliveries.Add(delivery);
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Event {EventId} ({EventType}) for user {UserId} queued {Count} deliveries",
            userEvent.EventId, action.EventType(), userEvent.User.Id, webhooks.Count);
        return webhooks.Count;
    }

    /// <inheritdoc />
    public void Wake()
    {
        signal.Wake();
        feed.Publish();
    }
}
