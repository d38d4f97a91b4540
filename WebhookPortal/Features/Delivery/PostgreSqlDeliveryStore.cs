using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// <see cref="DeliveryStore"/> on PostgreSQL (<see cref="DatabaseProvider.PostgreSql"/>), where several instances may claim
/// from one outbox at the same moment.
/// </summary>
public sealed class PostgreSqlDeliveryStore(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<PostgreSqlDeliveryStore> logger)
    : DeliveryStore(dbFactory, time, options, logger)
{
    /// <inheritdoc />
    protected override bool HeadsByLateral => true;

    /// <inheritdoc />
    /// <remarks>
    /// The ids as an array; <c>FOR UPDATE SKIP LOCKED</c>, so instances claiming at the same moment pass over each other's rows
    /// instead of queueing behind them. A row locked and leased by another instance is skipped; one it leased and committed
    /// just before fails the lease condition.
    /// </remarks>
    protected override Task LeaseAsync(PortalDbContext db, IReadOnlyList<Guid> due, string owner, DateTime leaseUntil, DateTime now, CancellationToken cancellationToken)
    {
        var ids = due.ToArray();
        return db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "LeaseUntil" = {leaseUntil}, "LeaseOwner" = {owner}
            WHERE "Id" IN (
                SELECT "Id" FROM "Deliveries"
                WHERE "Id" = ANY({ids}) AND "Status" = {(int)DeliveryStatus.Pending} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                FOR UPDATE SKIP LOCKED)
            """, cancellationToken);
    }
}
