using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary><see cref="DeliveryStore"/> on SQLite (the default <see cref="DatabaseProvider"/>).</summary>
public sealed class SqliteDeliveryStore(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<SqliteDeliveryStore> logger)
    : DeliveryStore(dbFactory, time, options, logger)
{
    /// <inheritdoc />
    /// <remarks>
    /// The ids as a JSON array read by <c>json_each</c> (SQLite stores a Guid as upper-case text). "+Status" keeps SQLite from
    /// walking the Status index over every pending row instead of seeking the ids. SQLite's single writer makes the statement
    /// atomic against another process's.
    /// </remarks>
    protected override Task LeaseAsync(PortalDbContext db, IReadOnlyList<Guid> due, string owner, DateTime leaseUntil, DateTime now, CancellationToken cancellationToken)
    {
        var ids = JsonSerializer.Serialize(due.Select(id => id.ToString().ToUpperInvariant()));
        return db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "LeaseUntil" = {leaseUntil}, "LeaseOwner" = {owner}
            WHERE "Id" IN (SELECT "value" FROM json_each({ids}))
              AND +"Status" = {(int)DeliveryStatus.Pending} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
            """, cancellationToken);
    }
}
