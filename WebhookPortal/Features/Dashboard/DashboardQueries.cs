using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Features.Dashboard;

/// <summary>What the dashboard shows: how much is configured and how deliveries went in the last 24 hours.</summary>
/// <param name="Hours">24 hourly buckets, oldest first; the last is the current (partial) hour.</param>
public sealed record DashboardSummary(int Clients, int Webhooks, int Users, IReadOnlyList<DeliveryHour> Hours)
{
    /// <summary>Start (UTC) of the first bucket.</summary>
    public DateTime Since => Hours[0].Start;

    public int Succeeded => Hours.Sum(h => h.Succeeded);
    public int Failed => Hours.Sum(h => h.Failed);
    public int Pending => Hours.Sum(h => h.Pending);

    /// <summary>
    /// Spacing of the chart's horizontal lines: 1, 2 or 5 times a power of ten, giving at most five steps up to the
    /// busiest hour (one delivery gets a step of 1, not the chart's default 20).
    /// </summary>
    public int YAxisStep
    {
        get
        {
            var busiest = Hours.Max(h => h.Succeeded + h.Failed + h.Pending);
            for (long power = 1; ; power *= 10)
            {
                foreach (var factor in (ReadOnlySpan<int>)[1, 2, 5])
                {
                    if (factor * power * 5 >= busiest)
                    {
                        return (int)(factor * power);
                    }
                }
            }
        }
    }
}

/// <summary>Deliveries created in one hour, by their state now. Cancelled deliveries are left out.</summary>
/// <param name="Start">Start of the hour, UTC.</param>
public sealed record DeliveryHour(DateTime Start, int Succeeded, int Failed, int Pending);

/// <summary>The dashboard's queries.</summary>
public static class DashboardQueries
{
    /// <summary>Number of hourly buckets.</summary>
    public const int HourCount = 24;

    /// <summary>
    /// Counts clients, webhooks and users, and the deliveries created since the start of the hour 23 hours before
    /// <paramref name="nowUtc"/>, grouped by hour and state in one query.
    /// </summary>
    public static async Task<DashboardSummary> LoadAsync(PortalDbContext db, DateTime nowUtc, CancellationToken cancellationToken = default)
    {
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

        var hours = new DeliveryHour[HourCount];
        for (var i = 0; i < HourCount; i++)
        {
            var start = since.AddHours(i);
            int Count(DeliveryStatus status) => groups
                .Where(g => g.Date == start.Date && g.Hour == start.Hour && g.Status == status)
                .Sum(g => g.Count);
            hours[i] = new DeliveryHour(start, Count(DeliveryStatus.Succeeded), Count(DeliveryStatus.Failed), Count(DeliveryStatus.Pending));
        }

        return new DashboardSummary(clients, webhooks, users, hours);
    }
}
