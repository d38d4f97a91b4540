using Microsoft.EntityFrameworkCore;
using WebhookPortal.Common;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Inbox;

/// <summary>The Inbox's messages: kept as they arrive (the newest <see cref="MaxMessages"/>), listed and cleared by the Inbox page.</summary>
public sealed class InboxStore(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Most messages kept; older ones are removed as new ones arrive.</summary>
    public const int MaxMessages = 1000;

    /// <summary>Saves <paramref name="message"/> and removes what falls beyond the newest <see cref="MaxMessages"/>.</summary>
    public async Task AddAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.InboxMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        var cutoff = await db.InboxMessages.OrderByDescending(m => m.Id).Skip(MaxMessages).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
        if (cutoff is not null)
        {
            await db.InboxMessages.Where(m => m.Id <= cutoff).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// One page (0-based) of messages, newest first, with how many match (<c>Total</c>) and how many are kept in all
    /// (<c>All</c>). <paramref name="name"/> narrows to inbox names containing it (case-insensitive);
    /// <paramref name="eventType"/> to messages of that event (<see cref="InboxMessage.EventType"/>, e.g. <c>user.created</c>
    /// or <c>webhook.test</c>).
    /// </summary>
    public async Task<(IReadOnlyList<InboxMessage> Items, int Total, int All)> ListAsync(
        int page, int pageSize, string? name = null, string? eventType = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var all = await db.InboxMessages.CountAsync(cancellationToken);
        var query = db.InboxMessages.AsNoTracking();
        var filtered = false;
        if (!string.IsNullOrWhiteSpace(name))
        {
            var pattern = TextSearch.Pattern(name.Trim());
            query = query.Where(m => TextSearch.Matches(m.Name, pattern));
            filtered = true;
        }

        if (!string.IsNullOrWhiteSpace(eventType))
        {
            // The headers are kept as "Name: value" lines, so the event is a whole line of them.
            var pattern = TextSearch.Pattern($"{InboxMessage.EventHeader}: {eventType.Trim()}\n");
            query = query.Where(m => TextSearch.Matches(m.Headers, pattern));
            filtered = true;
        }

        // Without a filter the matches are all of them: no second count.
        var total = filtered ? await query.CountAsync(cancellationToken) : all;
        var items = await query.OrderByDescending(m => m.Id).Page(page, pageSize).ToListAsync(cancellationToken);
        return (items, total, all);
    }

    /// <summary>Deletes every message; returns how many there were.</summary>
    public async Task<int> ClearAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.InboxMessages.ExecuteDeleteAsync(cancellationToken);
    }
}
