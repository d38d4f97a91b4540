using System.Data.Common;
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
        var ids = (string)IdList(due);
        return db.Database.ExecuteSqlAsync($"""
            UPDATE "Deliveries" SET "LeaseUntil" = {leaseUntil}, "LeaseOwner" = {owner}
            WHERE "Id" IN (SELECT "value" FROM json_each({ids}))
              AND +"Status" = {(int)DeliveryStatus.Pending} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
            """, cancellationToken);
    }

    /// <inheritdoc />
    protected override string IdIn(string column, string parameter) => $"{column} IN (SELECT \"value\" FROM json_each({parameter}))";

    /// <inheritdoc />
    protected override object IdList(IReadOnlyList<Guid> ids) => JsonSerializer.Serialize(ids.Select(IdValue));

    /// <inheritdoc />
    protected override object IdValue(Guid id) => id.ToString().ToUpperInvariant();

    /// <inheritdoc />
    /// <remarks>
    /// Two statements per attempt, each prepared once and run for the whole batch with new values: SQLite runs them in this
    /// process, so a round trip costs a call, and one prepared statement reused beats one long statement parsed anew for
    /// every batch size. Times are bound as <see cref="DateTime"/>, which Microsoft.Data.Sqlite writes in EF Core's own text
    /// format, so they compare with the stored ones.
    /// </remarks>
    protected override async Task<HashSet<Guid>> WriteOwnedAsync(PortalDbContext db, DbTransaction transaction, IReadOnlyList<PlannedRecord> planned, string owner, DateTime now)
    {
        var connection = db.Database.GetDbConnection();
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = $"""
            UPDATE "Deliveries" SET "Status" = @status, "AttemptCount" = @count, "NextAttemptAt" = @next, "CompletedAt" = @completed,
                "LeaseUntil" = NULL, "LeaseOwner" = NULL, "LastAttemptAt" = @now, "LastStatusCode" = @code, "LastError" = @error
            WHERE "Id" = @id AND "LeaseOwner" = @owner AND +"Status" = {(int)DeliveryStatus.Pending} AND "AttemptCount" = @previous
            """;
        var status = AddParameter(update, "@status", null);
        var count = AddParameter(update, "@count", null);
        var next = AddParameter(update, "@next", null);
        var completed = AddParameter(update, "@completed", null);
        AddParameter(update, "@now", now);
        var code = AddParameter(update, "@code", null);
        var error = AddParameter(update, "@error", null);
        var id = AddParameter(update, "@id", null);
        AddParameter(update, "@owner", owner);
        var previous = AddParameter(update, "@previous", null);

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "DeliveryAttempts" ("DeliveryId", "Number", "StartedAt", "DurationMs", "StatusCode", "Succeeded", "ResponseExcerpt", "Error")
            VALUES (@id, @number, @started, @duration, @code, @succeeded, @excerpt, @error)
            """;
        var attemptId = AddParameter(insert, "@id", null);
        var number = AddParameter(insert, "@number", null);
        var started = AddParameter(insert, "@started", null);
        var duration = AddParameter(insert, "@duration", null);
        var attemptCode = AddParameter(insert, "@code", null);
        var succeeded = AddParameter(insert, "@succeeded", null);
        var excerpt = AddParameter(insert, "@excerpt", null);
        var attemptError = AddParameter(insert, "@error", null);

        var applied = new HashSet<Guid>();
        foreach (var plan in planned)
        {
            var (after, attempt) = (plan.After, plan.Attempt);
            var key = IdValue(after.Id);
            status.Value = (int)after.Status;
            count.Value = after.AttemptCount;
            next.Value = (object?)after.NextAttemptAt ?? DBNull.Value;
            completed.Value = (object?)after.CompletedAt ?? DBNull.Value;
            code.Value = (object?)after.LastStatusCode ?? DBNull.Value;
            error.Value = (object?)after.LastError ?? DBNull.Value;
            id.Value = key;
            previous.Value = plan.Previous;
            if (await update.ExecuteNonQueryAsync() != 1)
            {
                continue;
            }

            attemptId.Value = key;
            number.Value = attempt.Number;
            started.Value = attempt.StartedAt;
            duration.Value = attempt.DurationMs;
            attemptCode.Value = (object?)attempt.StatusCode ?? DBNull.Value;
            succeeded.Value = attempt.Succeeded;
            excerpt.Value = (object?)attempt.ResponseExcerpt ?? DBNull.Value;
            attemptError.Value = (object?)attempt.Error ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
            applied.Add(after.Id);
        }

        return applied;
    }
}
