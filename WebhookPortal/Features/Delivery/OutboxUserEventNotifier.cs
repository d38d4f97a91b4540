using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Localization;
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
        // Only sign-ins and sign-outs name a client; other events reach every webhook watching the action.
        var signInEvent = action is UserAction.LoggedIn or UserAction.LoggedOut;
        var signInClientId = userEvent.SignInClientId;
        var webhooks = await db.Webhooks.AsNoTracking()
            .Where(w => w.Enabled && w.Object == WebhookObject.User && (w.Actions & action) == action)
            .Where(w => !signInEvent || w.SignIns == SignInScope.AnyClient || w.Client!.ClientId == signInClientId)
            .Select(w => new { Webhook = w, ClientId = w.Client!.ClientId })
            .ToListAsync(cancellationToken);
        if (webhooks.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (webhook, clientId) in webhooks.Select(w => (w.Webhook, w.ClientId)))
        {
            var delivery = Delivery.Render(webhook, clientId, userEvent, action.EventType(), now);
            if (delivery.Status == DeliveryStatus.Failed)
            {
                logger.LogWarning("Webhook {WebhookId} could not render event {EventId}: {Error}", webhook.Id, userEvent.EventId, MessageText.English(delivery.LastError));
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
