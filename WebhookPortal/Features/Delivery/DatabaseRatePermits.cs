using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Permits counted in the database (<see cref="RatePermit"/>, one row per webhook and rule), so every instance on one
/// PostgreSQL database draws on one count. A sliding window approximated by two fixed ones: the permits of the current
/// window plus those of the previous window weighted by how much of it still lies within the last
/// <see cref="RateLimitRule.Window"/> must stay under the limit. Each permit is one atomic upsert
/// (<c>INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING</c>, SQLite 3.35+ and PostgreSQL alike), so two instances
/// asking at once never both take the last permit. Windows follow the clock of <see cref="TimeProvider"/>; instances'
/// clocks should agree to well within a window.
/// </summary>
public sealed class DatabaseRatePermits(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time) : IRatePermits
{
    /// <inheritdoc />
    public async ValueTask<TimeSpan?> TryTakeAsync(int webhookId, WebhookTarget target, int rule, RateLimitRule limit, CancellationToken cancellationToken)
    {
        var window = Math.Max(1, (long)limit.Window.TotalMilliseconds);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var start = now - (now % window);
        var previous = start - window;
        var expires = start + 2 * window;
        // The share of the previous window that the sliding window still covers.
        var weight = (double)(window - (now - start)) / window;
        var permits = limit.Permits;
        var targetNumber = (int)target;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A row whose window is later than ours (another instance's clock runs ahead) counts as the current window.
        var taken = await db.Database.SqlQuery<int>($"""
            INSERT INTO "RatePermits" AS p ("WebhookId", "Target", "Rule", "WindowStart", "Count", "PreviousCount", "ExpiresAt")
            VALUES ({webhookId}, {targetNumber}, {rule}, {start}, 1, 0, {expires})
            ON CONFLICT ("WebhookId", "Target", "Rule") DO UPDATE SET
                "PreviousCount" = CASE WHEN p."WindowStart" >= {start} THEN p."PreviousCount" WHEN p."WindowStart" = {previous} THEN p."Count" ELSE 0 END,
                "Count" = CASE WHEN p."WindowStart" >= {start} THEN p."Count" ELSE 0 END + 1,
                "WindowStart" = CASE WHEN p."WindowStart" > {start} THEN p."WindowStart" ELSE {start} END,
                "ExpiresAt" = CASE WHEN p."WindowStart" > {start} THEN p."ExpiresAt" ELSE {expires} END
            WHERE (CASE WHEN p."WindowStart" >= {start} THEN p."PreviousCount" WHEN p."WindowStart" = {previous} THEN p."Count" ELSE 0 END) * {weight}
                + (CASE WHEN p."WindowStart" >= {start} THEN p."Count" ELSE 0 END) < {permits}
            RETURNING "Count"
            """).ToListAsync(cancellationToken);
        if (taken.Count > 0)
        {
            return null;
        }

        var row = await db.RatePermits.AsNoTracking()
            .SingleOrDefaultAsync(p => p.WebhookId == webhookId && p.Target == target && p.Rule == rule, cancellationToken);
        return Wait(row, start, previous, now - start, window, permits);
    }

    /// <summary>
    /// How long until <paramref name="row"/>'s count falls under <paramref name="permits"/>, if no other permit is taken
    /// meanwhile (milliseconds; at least 1 ms, at most two windows).
    /// </summary>
    private static TimeSpan Wait(RatePermit? row, long start, long previous, long elapsed, long window, int permits)
    {
        var current = row is not null && row.WindowStart >= start ? row.Count : 0;
        var before = row is null ? 0 : row.WindowStart >= start ? row.PreviousCount : row.WindowStart == previous ? row.Count : 0;
        double wait;
        if (current >= permits)
        {
            // In the next window the current one becomes the previous, and its weight must fall far enough.
            wait = window - elapsed + (window * (1 - ((double)permits / current)));
        }
        else
        {
            wait = before == 0 ? 1 : (window * (1 - ((double)(permits - current) / before))) - elapsed;
        }

        return TimeSpan.FromMilliseconds(Math.Clamp(Math.Ceiling(wait) + 1, 1, 2 * window));
    }
}
