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

    /// <summary>One page (0-based) of messages, newest first, with the total.</summary>
    public async Task<(IReadOnlyList<InboxMessage> Items, int Total)> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.InboxMessages.CountAsync(cancellationToken);
        var items = await db.InboxMessages.AsNoTracking().OrderByDescending(m => m.Id).Page(page, pageSize).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>Deletes every message; returns how many there were.</summary>
    public async Task<int> ClearAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.InboxMessages.ExecuteDeleteAsync(cancellationToken);
    }
}
