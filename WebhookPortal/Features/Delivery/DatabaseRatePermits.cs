using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Permits counted in the database (<see cref="RatePermit"/>, one row per webhook and rule), so every instance on one
/// PostgreSQL database draws on one count. The sliding window is kept in segments of half a window: a permit is given
/// while the current segment and the two before it (between one and one and a half windows, so at least the last whole
/// window) hold fewer than <see cref="RateLimitRule.Permits"/>. That never lets more than the limit through in any window,
/// at the price of sometimes waiting up to half a window longer than needed. Each permit is one atomic upsert
/// (<c>INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING</c>, SQLite 3.35+ and PostgreSQL alike), so two instances
/// asking at once never both take the last permit. Segments follow the clock of <see cref="TimeProvider"/>; instances'
/// clocks should agree to well within half a window.
/// </summary>
public sealed class DatabaseRatePermits(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time) : IRatePermits
{
    /// <inheritdoc />
    public async ValueTask<TimeSpan?> TryTakeAsync(int webhookId, WebhookTarget target, int rule, RateLimitRule limit, CancellationToken cancellationToken)
    {
        var segment = Math.Max(1, (long)limit.Window.TotalMilliseconds / 2);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var start = now - (now % segment);
        var (start1, start2, expires) = (start - segment, start - (2 * segment), start + (3 * segment));
        var permits = limit.Permits;
        var targetNumber = (int)target;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The row's counts shift by as many segments as have begun since it was written. A row whose segment is later than
        // ours (another instance's clock runs ahead) counts as the current segment.
        var taken = await db.Database.SqlQuery<int>($"""
            INSERT INTO "RatePermits" AS p ("WebhookId", "Target", "Rule", "SegmentStart", "Count", "PreviousCount", "EarlierCount", "ExpiresAt")
            VALUES ({webhookId}, {targetNumber}, {rule}, {start}, 1, 0, 0, {expires})
            ON CONFLICT ("WebhookId", "Target", "Rule") DO UPDATE SET
                "EarlierCount" = CASE WHEN p."SegmentStart" >= {start} THEN p."EarlierCount" WHEN p."SegmentStart" = {start1} THEN p."PreviousCount"
                    WHEN p."SegmentStart" = {start2} THEN p."Count" ELSE 0 END,
                "PreviousCount" = CASE WHEN p."SegmentStart" >= {start} THEN p."PreviousCount" WHEN p."SegmentStart" = {start1} THEN p."Count" ELSE 0 END,
                "Count" = CASE WHEN p."SegmentStart" >= {start} THEN p."Count" ELSE 0 END + 1,
                "SegmentStart" = CASE WHEN p."SegmentStart" > {start} THEN p."SegmentStart" ELSE {start} END,
                "ExpiresAt" = CASE WHEN p."SegmentStart" > {start} THEN p."ExpiresAt" ELSE {expires} END
            WHERE (CASE WHEN p."SegmentStart" >= {start} THEN p."Count" + p."PreviousCount" + p."EarlierCount"
                    WHEN p."SegmentStart" = {start1} THEN p."Count" + p."PreviousCount"
                    WHEN p."SegmentStart" = {start2} THEN p."Count" ELSE 0 END) < {permits}
            RETURNING "Count"
            """).ToListAsync(cancellationToken);
        if (taken.Count > 0)
        {
            return null;
        }

        var row = await db.RatePermits.AsNoTracking()
            .SingleOrDefaultAsync(p => p.WebhookId == webhookId && p.Target == target && p.Rule == rule, cancellationToken);
        return Wait(row, start, segment, now - start, permits);
    }

    /// <summary>
    /// How long until the oldest counted segments of <paramref name="row"/> have dropped out far enough for a permit, if no
    /// other permit is taken meanwhile: to the next, second or third segment boundary (at least 1 ms).
    /// </summary>
    private static TimeSpan Wait(RatePermit? row, long start, long segment, long elapsed, int permits)
    {
        var shift = row is null ? 3 : row.SegmentStart >= start ? 0 : (start - row.SegmentStart) / segment;
        // The counts as seen from our segment: its own, and the one before it (the one before that drops out first).
        var current = shift == 0 ? row!.Count : 0;
        var previous = shift switch { 0 => row!.PreviousCount, 1 => row!.Count, _ => 0 };
        var boundaries = current + previous < permits ? 1 : current < permits ? 2 : 3;
        return TimeSpan.FromMilliseconds(Math.Max(1, (boundaries * segment) - elapsed));
    }
}
