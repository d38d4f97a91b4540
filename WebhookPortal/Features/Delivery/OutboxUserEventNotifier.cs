using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Writes one pending <see cref="Delivery"/> per enabled webhook watching the event's action, rendered now, into the
/// caller's <see cref="PortalDbContext"/> (the outbox). A template that cannot render still gets a delivery, marked
/// Failed with the reason, so no event disappears silently. An event that queues anything gets the user's next sequence
/// number (<see cref="UserSequence"/>) in the same transaction as its deliveries: the caller's, or one of its own.
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

        // Joins the caller's transaction (a user change commits with its event); a sign-in brings none, so it gets its own:
        // the sequence row stays locked until the deliveries commit, so a later number never commits before an earlier one.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        userEvent = userEvent with { Sequence = await NextSequenceAsync(userEvent.User.Id, cancellationToken) };
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
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        logger.LogInformation("Event {EventId} ({EventType}) for user {UserId} queued {Count} deliveries with sequence {Sequence}",
            userEvent.EventId, action.EventType(), userEvent.User.Id, webhooks.Count, userEvent.Sequence);
        return webhooks.Count;
    }

    // One statement, atomic on SQLite (3.35+) and PostgreSQL alike: the first event of a user inserts 1, later ones add 1 to
    // the row, which the writer then holds until its transaction ends.
    private async Task<long> NextSequenceAsync(string userId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<long>($"""
            INSERT INTO "UserSequences" ("UserId", "Last") VALUES ({userId}, 1)
            ON CONFLICT ("UserId") DO UPDATE SET "Last" = "UserSequences"."Last" + 1
            RETURNING "Last"
            """).ToListAsync(cancellationToken)).Single();

    /// <inheritdoc />
    public void Wake()
    {
        signal.Wake();
        feed.Publish();
    }
}
