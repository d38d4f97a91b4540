using System.Data.Common;
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

    /// <inheritdoc />
    protected override string IdIn(string column, string parameter) => $"{column} = ANY({parameter})";

    /// <inheritdoc />
    protected override object IdList(IReadOnlyList<Guid> ids) => ids.ToArray();

    /// <inheritdoc />
    protected override object IdValue(Guid id) => id;

    /// <inheritdoc />
    /// <remarks>
    /// One round trip for the whole batch: the new states and attempts travel as arrays, <c>unnest</c> turns them into rows,
    /// the UPDATE applies those whose row still has the claimed state (under its row lock, so a concurrent change is seen),
    /// and the INSERT adds the attempts of exactly the rows the UPDATE returned.
    /// </remarks>
    protected override async Task<HashSet<Guid>> WriteOwnedAsync(PortalDbContext db, DbTransaction transaction, IReadOnlyList<PlannedRecord> planned, string owner, DateTime now)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            WITH v AS (
                SELECT * FROM unnest(@ids, @previous, @status, @count, @next, @completed, @code, @error, @started, @duration, @succeeded, @excerpt)
                    AS v(id, previous, status, count, next, completed, code, error, started, duration, succeeded, excerpt)
            ), applied AS (
                UPDATE "Deliveries" AS d SET "Status" = v.status, "AttemptCount" = v.count, "NextAttemptAt" = v.next,
                    "CompletedAt" = v.completed, "LeaseUntil" = NULL, "LeaseOwner" = NULL, "LastAttemptAt" = @now,
                    "LastStatusCode" = v.code, "LastError" = v.error
                FROM v
                WHERE d."Id" = v.id AND d."LeaseOwner" = @owner AND d."Status" = {(int)DeliveryStatus.Pending} AND d."AttemptCount" = v.previous
                RETURNING d."Id"
            )
            INSERT INTO "DeliveryAttempts" ("DeliveryId", "Number", "StartedAt", "DurationMs", "StatusCode", "Succeeded", "ResponseExcerpt", "Error")
            SELECT v.id, v.count, v.started, v.duration, v.code, v.succeeded, v.excerpt, v.error
            FROM v JOIN applied ON applied."Id" = v.id
            RETURNING "DeliveryId"
            """;
        AddParameter(command, "@ids", planned.Select(p => p.After.Id).ToArray());
        AddParameter(command, "@previous", planned.Select(p => p.Previous).ToArray());
        AddParameter(command, "@status", planned.Select(p => (int)p.After.Status).ToArray());
        AddParameter(command, "@count", planned.Select(p => p.After.AttemptCount).ToArray());
        AddParameter(command, "@next", planned.Select(p => p.After.NextAttemptAt).ToArray());
        AddParameter(command, "@completed", planned.Select(p => p.After.CompletedAt).ToArray());
        AddParameter(command, "@code", planned.Select(p => p.Attempt.StatusCode).ToArray());
        AddParameter(command, "@error", planned.Select(p => p.Attempt.Error).ToArray());
        AddParameter(command, "@started", planned.Select(p => p.Attempt.StartedAt).ToArray());
        AddParameter(command, "@duration", planned.Select(p => p.Attempt.DurationMs).ToArray());
        AddParameter(command, "@succeeded", planned.Select(p => p.Attempt.Succeeded).ToArray());
        AddParameter(command, "@excerpt", planned.Select(p => p.Attempt.ResponseExcerpt).ToArray());
        AddParameter(command, "@now", now);
        AddParameter(command, "@owner", owner);

        var applied = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            applied.Add(reader.GetGuid(0));
        }

        return applied;
    }
}
