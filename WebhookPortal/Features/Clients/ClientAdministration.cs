using Microsoft.EntityFrameworkCore;
using WebhookPortal.Common;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;

using WebhookPortal.Resources;

namespace WebhookPortal.Features.Clients;

/// <summary>Creating, renaming and deleting clients, with their audit entries; shared by the Docking Portal pages and the API.</summary>
public sealed class ClientAdministration(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The message for a duplicate <paramref name="clientId"/>.</summary>
    public static string DuplicateMessage(string clientId) => UiText.Format("Client ID {0} already exists (Client IDs are not case-sensitive).", clientId);

    /// <summary>One page (0-based) of clients ordered by Client ID, optionally narrowed to those whose ID or description contains <paramref name="search"/>.</summary>
    public async Task<(IReadOnlyList<ClientSummary> Items, int Total)> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Clients.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = SearchPattern.Contains(search.Trim());
            query = query.Where(c => EF.Functions.Like(c.ClientId, pattern, SearchPattern.Escape) || EF.Functions.Like(c.Description, pattern, SearchPattern.Escape));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(c => c.ClientId).Page(page, pageSize)
            .Select(c => new ClientSummary(c.ClientId, c.Description, c.Webhooks.Count, c.CreatedAt))
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>The client <paramref name="clientId"/> (case-insensitive), or null.</summary>
    public async Task<ClientSummary?> FindAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Select(c => new ClientSummary(c.ClientId, c.Description, c.Webhooks.Count, c.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Registers a client from a valid <paramref name="model"/>; <see cref="ClientChange.Duplicate"/> when the Client ID is taken.</summary>
    public async Task<ClientChange> CreateAsync(ClientModel model, AuditActor actor)
    {
        var clientId = model.ClientId.Trim();
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.Clients.AnyAsync(c => c.ClientId == clientId))
        {
            return ClientChange.Duplicate;
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.Clients.Add(new Client { ClientId = clientId, Description = model.Description.Trim(), CreatedAt = now });
        AuditTrail.Add(db, actor, now, "client.created", "client " + clientId);
        return await SaveAsync(db);
    }

    /// <summary>Changes the Client ID and description of client <paramref name="clientId"/> to a valid <paramref name="model"/>.</summary>
    public async Task<ClientChange> UpdateAsync(string clientId, ClientModel model, AuditActor actor)
    {
        var newId = model.ClientId.Trim();
        await using var db = await dbFactory.CreateDbContextAsync();
        var client = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId);
        if (client is null)
        {
            return ClientChange.NotFound;
        }

        if (await db.Clients.AnyAsync(c => c.ClientId == newId && c.Id != client.Id))
        {
            return ClientChange.Duplicate;
        }

        var before = client.ClientId;
        client.ClientId = newId;
        client.Description = model.Description.Trim();
        var changed = db.Entry(client).Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).ToList();
        if (changed.Count > 0)
        {
            AuditTrail.Add(db, actor, time.GetUtcNow().UtcDateTime, "client.updated", "client " + before, "Changed: " + string.Join(", ", changed));
        }

        return await SaveAsync(db);
    }

    /// <summary>Deletes client <paramref name="clientId"/> and its webhooks, cancelling their pending deliveries (the history stays).</summary>
    public async Task<ClientChange> DeleteAsync(string clientId, AuditActor actor)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var client = await db.Clients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Select(c => new { c.Id, c.ClientId, Webhooks = c.Webhooks.Count }).FirstOrDefaultAsync();
        if (client is null)
        {
            return ClientChange.NotFound;
        }

        await db.Deliveries.CancelPendingAsync(d => d.Webhook!.ClientKey == client.Id, time);
        if (await db.Clients.Where(c => c.Id == client.Id).ExecuteDeleteAsync() == 0)
        {
            return ClientChange.NotFound;
        }

        AuditTrail.Add(db, actor, time.GetUtcNow().UtcDateTime, "client.deleted", "client " + client.ClientId, $"With {client.Webhooks} webhook(s).");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return ClientChange.Done;
    }

    private static async Task<ClientChange> SaveAsync(PortalDbContext db)
    {
        try
        {
            await db.SaveChangesAsync();
            return ClientChange.Done;
        }
        catch (DbUpdateException)
        {
            // Another administrator saved the same Client ID between the check and the write; the unique index caught it.
            return ClientChange.Duplicate;
        }
    }
}
