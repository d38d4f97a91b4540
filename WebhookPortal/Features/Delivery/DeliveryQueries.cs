using Microsoft.EntityFrameworkCore;
using WebhookPortal.Common;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The delivery log's reads, shared by the Deliveries and Delivery pages, the Docking Portal's client page and the API, so
/// a filter or an order means the same wherever it is used.
/// </summary>
public sealed class DeliveryQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The orders <see cref="ListAsync"/> knows; creation time is the default.</summary>
    public const string ByCreated = "created", ByEvent = "event", ByClient = "client", ByStatus = "status", ByAttempts = "attempts";

    /// <summary>
    /// One page (0-based) of the deliveries <paramref name="filter"/> shows, with the total. Ordered by <paramref name="sortBy"/>
    /// (<see cref="ByEvent"/>, <see cref="ByClient"/> — then the webhook name —, <see cref="ByStatus"/>, <see cref="ByAttempts"/>;
    /// anything else is creation time), newest first unless <paramref name="ascending"/>; equal keys keep their places between
    /// pages, newest first by creation time and then id. URLs come with a robot's key masked.
    /// </summary>
    public async Task<(IReadOnlyList<DeliverySummary> Items, int Total)> ListAsync(
        DeliveryFilter filter, int page, int pageSize, string? sortBy = null, bool ascending = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = filter.Apply(db.Deliveries.AsNoTracking());
        var total = await query.CountAsync(cancellationToken);
        var items = await Sort(query, sortBy, ascending)
            .Page(page, pageSize)
            .Select(DeliverySummary.Projection)
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>
    /// Delivery <paramref name="id"/> with its attempts and its webhook (whose switch makes it Paused, see
    /// <see cref="PausedDeliveries.Shown(Delivery)"/>), or null when there is none (any more: old ones are purged).
    /// </summary>
    public async Task<Delivery?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AsNoTracking().Include(d => d.Attempts).Include(d => d.Webhook)
            .FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
    }

    /// <summary>The summary of delivery <paramref name="id"/> (status as shown), or null when there is none.</summary>
    public async Task<DeliverySummary?> SummaryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AsNoTracking().Where(d => d.Id == id).Select(DeliverySummary.Projection).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Whether delivery <paramref name="id"/> exists.</summary>
    public async Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AnyAsync(d => d.Id == id, cancellationToken);
    }

    /// <summary>The latest delivery of every webhook of client <paramref name="clientKey"/> that has one, by webhook id, in one grouped query.</summary>
    public async Task<IReadOnlyDictionary<int, LatestDelivery>> LatestByWebhookAsync(int clientKey, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.Deliveries.AsNoTracking()
            .Where(d => d.WebhookId != null && db.Webhooks.Any(w => w.Id == d.WebhookId && w.ClientKey == clientKey))
            .GroupBy(d => d.WebhookId!.Value)
            .Select(g => g.OrderByDescending(d => d.CreatedAt).Select(d => new { d.WebhookId, d.Status, Enabled = (bool?)d.Webhook!.Enabled, d.CreatedAt, d.AttemptCount }).First())
            .ToListAsync(cancellationToken);
        return latest.ToDictionary(d => d.WebhookId!.Value, d => new LatestDelivery(PausedDeliveries.Shown(d.Status, d.Enabled), d.CreatedAt, d.AttemptCount));
    }

    // Every order ends on CreatedAt and Id, so rows with equal keys keep their places between pages and reloads.
    private static IQueryable<Delivery> Sort(IQueryable<Delivery> query, string? sortBy, bool ascending)
    {
        var descending = !ascending;
        return sortBy switch
        {
            ByEvent => Then(descending ? query.OrderByDescending(d => d.EventType) : query.OrderBy(d => d.EventType)),
            ByClient => Then(descending
                ? query.OrderByDescending(d => d.ClientId).ThenByDescending(d => d.WebhookName)
                : query.OrderBy(d => d.ClientId).ThenBy(d => d.WebhookName)),
            ByStatus => Then(descending ? query.OrderByDescending(d => d.Status) : query.OrderBy(d => d.Status)),
            ByAttempts => Then(descending ? query.OrderByDescending(d => d.AttemptCount) : query.OrderBy(d => d.AttemptCount)),
            _ when ascending => query.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id),
            _ => query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id),
        };

        static IQueryable<Delivery> Then(IOrderedQueryable<Delivery> ordered) => ordered.ThenByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id);
    }
}
