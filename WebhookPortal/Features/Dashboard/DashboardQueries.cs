using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Features.Dashboard;

/// <summary>The dashboard's queries.</summary>
public sealed class DashboardQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Number of hourly buckets.</summary>
    public const int HourCount = 24;

    /// <summary>
    /// Counts clients, webhooks and users, and the deliveries created since the start of the hour 23 hours before now,
    /// grouped by hour and state (Paused apart from Pending).
    /// </summary>
    public async Task<DashboardSummary> LoadAsync(CancellationToken cancellationToken = default)
    {
        var nowUtc = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var currentHour = new DateTime(nowUtc.Year, nowUtc.Month, nowUtc.Day, nowUtc.Hour, 0, 0, DateTimeKind.Utc);
        var since = currentHour.AddHours(1 - HourCount);

        var clients = await db.Clients.CountAsync(cancellationToken);
        var webhooks = await db.Webhooks.CountAsync(cancellationToken);
        var users = await db.Users.CountAsync(cancellationToken);

        var groups = await db.Deliveries
            .Where(d => d.CreatedAt >= since && d.Status != DeliveryStatus.Cancelled)
            .GroupBy(d => new { d.CreatedAt.Date, d.CreatedAt.Hour, d.Status })
            .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        // Paused deliveries are stored Pending: counted apart and taken out of their hour's Pending.
        var paused = await db.Deliveries
            .Where(d => d.CreatedAt >= since)
            .Where(PausedDeliveries.IsPaused)
            .GroupBy(d => new { d.CreatedAt.Date, d.CreatedAt.Hour })
            .Select(g => new { g.Key.Date, g.Key.Hour, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var hours = new DeliveryHour[HourCount];
        for (var i = 0; i < HourCount; i++)
        {
            var start = since.AddHours(i);
            int Count(DeliveryStatus status) => groups
                .Where(g => g.Date == start.Date && g.Hour == start.Hour && g.Status == status)
                .Sum(g => g.Count);
            var pausedThen = paused.Where(g => g.Date == start.Date && g.Hour == start.Hour).Sum(g => g.Count);
            hours[i] = new DeliveryHour(start, Count(DeliveryStatus.Succeeded), Count(DeliveryStatus.Failed), Count(DeliveryStatus.Pending) - pausedThen, pausedThen);
        }

        return new DashboardSummary(clients, webhooks, users, hours);
    }
}
