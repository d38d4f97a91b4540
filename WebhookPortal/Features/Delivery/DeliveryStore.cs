using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The outbox's state changes, in one place for <see cref="DeliveryDispatcher"/> and Send test
/// (<see cref="DeliveryActions.SendTestAsync"/>): claiming due deliveries with a lease, recording finished attempts (with the
/// auto-disable they cause, in the same transaction), releasing and deferring leased deliveries, and freeing the leases of
/// an earlier process. Each change moves the delivery through one of <see cref="Delivery"/>'s transitions.
/// <para>
/// A lease holder's every change is guarded by its lease in the database statement itself: the UPDATE's WHERE names the
/// owner (<see cref="Delivery.LeaseOwner"/> is a concurrency token, as are <see cref="Delivery.Status"/> and
/// <see cref="Delivery.AttemptCount"/>), so a process whose lease ran out and was taken by another never changes the
/// delivery's state; its attempt is still added to the history. Attempts are numbered from the stored count and unique per
/// (delivery, number): a record that loses a race with another writer is read and written again, never lost.
/// </para>
/// <para>
/// The dialects (<see cref="SqliteDeliveryStore"/>, <see cref="PostgreSqlDeliveryStore"/>) differ in the lease statement,
/// how a list of ids travels in one parameter, and how a batch of records is written (<see cref="WriteOwnedAsync"/>);
/// <see cref="DeliveryExtensions.AddDelivery"/> registers the one for the database in use. Errors from the
/// database are thrown to the caller.
/// </para>
/// </summary>
public abstract class DeliveryStore(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, IOptions<DeliveryOptions> options, ILogger logger)
    : IDisposable
{
    /// <summary>How often a record that lost a race with another writer is read and written again before it fails.</summary>
    internal const int RaceRetries = 8;

    // This process's writes take turns here: SQLite has one writer at a time, and concurrent statements that met its lock
    // would back off in growing sleeps (1, 2, 5, 10 … ms) instead of following each other at once.
    private readonly SemaphoreSlim writes = new(1, 1);

    private string? leasedSql;

    /// <summary>
    /// Leases up to <paramref name="max"/> due deliveries to <paramref name="owner"/> for <see cref="DeliveryOptions.LeaseDuration"/>,
    /// oldest due first, and returns them with their webhook (for its current signing secret). Left out: those whose webhook
    /// already has <see cref="DeliveryOptions.MaxConcurrencyPerWebhook"/> live leases (in this process or another), those of
    /// a disabled webhook (<see cref="DeliveryStatus.Paused"/>: they keep their place until it is enabled), for a webhook that
    /// keeps order per user (<see cref="Webhooks.Webhook.OrderedPerUser"/>) those behind an earlier pending or a leased
    /// delivery of the same user, and <paramref name="exclude"/>. Two owners claiming at once never get the same delivery.
    /// </summary>
    /// <param name="exclude">Deliveries the caller is still sending or recording; never claimed twice, even if their lease ran out.</param>
    public async Task<List<Delivery>> ClaimAsync(string owner, int max, IReadOnlySet<Guid> exclude, CancellationToken cancellationToken = default) =>
        (await ClaimRoundAsync(owner, max, exclude, cancellationToken)).Leased;

    /// <summary>
    /// <see cref="ClaimAsync"/>, also saying how many of the deliveries it chose another owner leased first
    /// (<see cref="ClaimRound.Lost"/>): more may be due, so a caller that lost some should claim again rather than wait.
    /// </summary>
    public async Task<ClaimRound> ClaimRoundAsync(string owner, int max, IReadOnlySet<Guid> exclude, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var perWebhook = options.Value.MaxConcurrencyPerWebhook;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One connection for the claim's statements; they are written by hand rather than through EF's query pipeline, whose
        // per-execution work (parameter extraction, materialization) was the claim's largest cost.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            // Only live leases are read (through the LeaseUntil index), so this costs what is running, not what is pending.
            var running = new Dictionary<int, int>();
            await using (var command = CreateCommand(connection, $"""
                SELECT "WebhookId", COUNT(*) FROM "Deliveries"
                WHERE "LeaseUntil" >= {now} AND "Status" = {(int)DeliveryStatus.Pending} AND "WebhookId" IS NOT NULL
                GROUP BY "WebhookId"
                """))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    running[reader.GetInt32(0)] = reader.GetInt32(1);
                }
            }

            // The LIMIT leaves room for rows that the caps below skip: at most perWebhook for each webhook at its cap, and the excluded.
            var limit = max + exclude.Count + perWebhook * running.Count(r => r.Value >= perWebhook);
            var due = new List<Guid>();
            await using (var command = CreateCommand(connection, Candidates(now, perWebhook, limit, HeadsByLateral)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (due.Count < max && await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetGuid(0);
                    if (exclude.Contains(id))
                    {
                        continue;
                    }

                    if (!reader.IsDBNull(1))
                    {
                        var webhookId = reader.GetInt32(1);
                        var busy = running.GetValueOrDefault(webhookId);
                        if (busy >= perWebhook)
                        {
                            continue;
                        }

                        running[webhookId] = busy + 1;
                    }

                    due.Add(id);
                }
            }

            if (due.Count == 0)
            {
                return new ClaimRound([], 0);
            }

            var leaseUntil = now + options.Value.LeaseDuration;
            await writes.WaitAsync(cancellationToken);
            try
            {
                // Not cancelled from here on: rows leased but never read would be held by nobody until the lease ran out.
                await LeaseAsync(db, due, owner, leaseUntil, now, CancellationToken.None);
            }
            finally
            {
                writes.Release();
            }

            // Only the rows this lease won: of two owners racing for a row, the other's lease statement found it leased.
            var leased = await ReadLeasedAsync(connection, due, owner, leaseUntil, CancellationToken.None);
            return new ClaimRound(leased, due.Count - leased.Count);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // The won rows with their webhook's secrets: the part of the claim that grows with the round.
    private async Task<List<Delivery>> ReadLeasedAsync(DbConnection connection, List<Guid> due, string owner, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = leasedSql ??= $"""
            SELECT {OutboxRows.DeliveryColumns("d")}, {OutboxRows.WebhookSecretColumns("w")}
            FROM "Deliveries" AS d LEFT JOIN "Webhooks" AS w ON w."Id" = d."WebhookId"
            WHERE {IdIn("d.\"Id\"", "@ids")} AND d."LeaseOwner" = @owner AND d."LeaseUntil" = @until
            """;
        AddParameter(command, "@ids", IdList(due));
        AddParameter(command, "@owner", owner);
        AddParameter(command, "@until", leaseUntil);
        var leased = new List<Delivery>(due.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leased.Add(OutboxRows.ReadDelivery(reader, withWebhookSecrets: true));
        }

        return leased;
    }

    /// <summary>
    /// A command on <paramref name="connection"/> for <paramref name="sql"/>, its interpolated values bound as parameters
    /// (<c>@p0</c>, <c>@p1</c> …), never written into the text.
    /// </summary>
    protected static DbCommand CreateCommand(DbConnection connection, FormattableString sql)
    {
        var command = connection.CreateCommand();
        var names = new object[sql.ArgumentCount];
        for (var i = 0; i < names.Length; i++)
        {
            var name = "@p" + i.ToString(CultureInfo.InvariantCulture);
            names[i] = name;
            AddParameter(command, name, sql.GetArgument(i));
        }

        command.CommandText = string.Format(CultureInfo.InvariantCulture, sql.Format, names);
        return command;
    }

    /// <summary>SQL that is true where <paramref name="column"/> is one of the ids in parameter <paramref name="parameter"/> (bound to <see cref="IdList"/>).</summary>
    protected abstract string IdIn(string column, string parameter);

    /// <summary>A list of delivery ids as the dialect's <see cref="IdIn"/> reads it from one parameter.</summary>
    protected abstract object IdList(IReadOnlyList<Guid> ids);

    /// <summary>A delivery id as the dialect stores it (SQLite: upper-case text; PostgreSQL: uuid).</summary>
    protected abstract object IdValue(Guid id);

    /// <summary>Adds parameter <paramref name="name"/> (with its <c>@</c>) to <paramref name="command"/>; null is sent as SQL NULL.</summary>
    protected static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// Leases those of <paramref name="due"/> that are still pending and unleased (no lease, or one that ended before
    /// <paramref name="now"/>) to <paramref name="owner"/> until <paramref name="leaseUntil"/>, in one statement that repeats
    /// those conditions, so that of two owners racing for a row only one wins it.
    /// </summary>
    protected abstract Task LeaseAsync(PortalDbContext db, IReadOnlyList<Guid> due, string owner, DateTime leaseUntil, DateTime now, CancellationToken cancellationToken);

    /// <summary>
    /// The due deliveries that may be claimed, oldest due first, in SQL that both dialects read: every derived table is named
    /// (PostgreSQL requires it) and only standard constructs are used, except how each webhook's heads are joined
    /// (<paramref name="lateral"/>, see <see cref="HeadsByLateral"/>).
    /// </summary>
    /// <remarks>
    /// The oldest few due of every enabled webhook, each found by a seek on (WebhookId, Status, NextAttemptAt), so a long
    /// backlog of one webhook can hide neither the others' deliveries nor make the claim cost grow with the backlog. A webhook
    /// that keeps order per user offers only the head of each user's line: no pending delivery of the same (webhook, user)
    /// comes before it in event order (Sequence, then Id for equal numbers, as deliveries made before sequences had), and no
    /// later one is leased (a redelivered earlier one never joins a later one in flight; p itself is unleased, so it never
    /// matches). Both are seeks on (WebhookId, UserId, Status, Sequence, LeaseUntil), the second read from the index alone and
    /// run only for heads. They sit before the per-webhook LIMIT, so a user's waiting line takes no place from the webhook's
    /// other users; unordered webhooks skip them. Deliveries whose webhook was deleted follow in their own branch.
    /// </remarks>
    internal static FormattableString Candidates(DateTime now, int perWebhook, int limit, bool lateral)
    {
        FormattableString sql = $"""
        SELECT "Id", "WebhookId", "NextAttemptAt" FROM (
            SELECT d."Id", d."WebhookId", d."NextAttemptAt"
            FROM "Webhooks" AS w
            @heads(
                SELECT @columns FROM "Deliveries" AS p
                WHERE p."WebhookId" = w."Id" AND p."Status" = {(int)DeliveryStatus.Pending} AND p."NextAttemptAt" <= {now}
                  AND (p."LeaseUntil" IS NULL OR p."LeaseUntil" < {now})
                  AND (NOT w."OrderedPerUser" OR (
                    NOT EXISTS (
                      SELECT 1 FROM "Deliveries" AS e
                      WHERE e."WebhookId" = p."WebhookId" AND e."UserId" = p."UserId" AND e."Status" = {(int)DeliveryStatus.Pending}
                        AND e."Sequence" <= p."Sequence" AND e."Id" <> p."Id" AND (e."Sequence" < p."Sequence" OR e."Id" < p."Id"))
                    AND NOT EXISTS (
                      SELECT 1 FROM "Deliveries" AS f
                      WHERE f."WebhookId" = p."WebhookId" AND f."UserId" = p."UserId" AND f."Status" = {(int)DeliveryStatus.Pending}
                        AND f."Sequence" >= p."Sequence" AND f."LeaseUntil" >= {now})))
                ORDER BY p."NextAttemptAt" LIMIT {perWebhook}) @end
            WHERE w."Enabled"
            UNION ALL
            SELECT * FROM (
                SELECT p."Id", p."WebhookId", p."NextAttemptAt" FROM "Deliveries" AS p
                WHERE p."WebhookId" IS NULL AND p."Status" = {(int)DeliveryStatus.Pending} AND p."NextAttemptAt" <= {now}
                  AND (p."LeaseUntil" IS NULL OR p."LeaseUntil" < {now})
                ORDER BY p."NextAttemptAt" LIMIT {limit}) AS unowned) AS candidates
        ORDER BY "NextAttemptAt" LIMIT {limit}
        """;
        // The per-webhook heads are the one part the dialects write differently (see HeadsByLateral); the tokens are
        // replaced in the SQL text, never in the parameters.
        var format = lateral
            ? sql.Format.Replace("@heads(", "CROSS JOIN LATERAL (", StringComparison.Ordinal)
                .Replace("@columns", "p.\"Id\", p.\"WebhookId\", p.\"NextAttemptAt\"", StringComparison.Ordinal)
                .Replace("@end", "AS d", StringComparison.Ordinal)
            : sql.Format.Replace("@heads(", "JOIN \"Deliveries\" AS d ON d.\"Id\" IN (", StringComparison.Ordinal)
                .Replace("@columns", "p.\"Id\"", StringComparison.Ordinal)
                .Replace("@end", "", StringComparison.Ordinal);
        return FormattableStringFactory.Create(format, sql.GetArguments());
    }

    /// <summary>
    /// True where the per-webhook heads of <see cref="Candidates"/> are read through <c>CROSS JOIN LATERAL</c> (PostgreSQL):
    /// PostgreSQL runs the correlated <c>IN (… LIMIT n)</c> that SQLite seeks well once for every delivery row, history
    /// included, times the webhooks, so a claim grew with the whole table. SQLite has no <c>LATERAL</c>.
    /// </summary>
    protected virtual bool HeadsByLateral => false;

    /// <summary>
    /// Records <paramref name="batch"/>: every attempt is added to its delivery's history, numbered after
    /// the stored count. Where <paramref name="owner"/> still holds the delivery's lease and it is pending, the delivery
    /// succeeds, is scheduled for a retry (<see cref="RetryPolicy"/>) or fails; where it was cancelled meanwhile, only the
    /// lease is given up; where another owner holds it, or none, its state is left alone, unless the attempt succeeded (the
    /// receiver has it: the delivery ends Succeeded). A failure of a webhook's delivery
    /// runs the <see cref="AutoDisable"/> check (410 Gone disables at once) in the same transaction, so no claim sees the
    /// released leases of a webhook about to be disabled. Deliveries that no longer exist are left out of the result.
    /// <para>
    /// Most attempts end as claimed: the owner still holds the lease and nobody recorded in between. Those are written without
    /// loading their rows, by the dialect's statements (<see cref="WriteOwnedAsync"/>) whose WHERE repeats the claimed state;
    /// every other one — and any the statements' guards refuse — goes the tracked way: rows loaded, the attempt applied to
    /// the row as stored, saved with the concurrency tokens. Each way is one transaction.
    /// </para>
    /// </summary>
    /// <returns>One entry per recorded attempt, in batch order.</returns>
    /// <exception cref="PartlyRecordedException">
    /// The statements' records were committed and the tracked way then failed: the exception lists what was recorded, so
    /// that a caller trying again does not record those twice.
    /// </exception>
    public async Task<IReadOnlyList<RecordedAttempt>> RecordAsync(string owner, IReadOnlyList<FinishedAttempt> batch)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var results = new RecordedAttempt?[batch.Count];
        var planned = new List<PlannedRecord>(batch.Count);
        var plannedIds = new HashSet<Guid>();
        for (var i = 0; i < batch.Count; i++)
        {
            // A second attempt of the same delivery in one batch is numbered after the first: the tracked path reads it.
            if (Plan(batch[i], i, owner, now) is { } plan && plannedIds.Add(plan.After.Id))
            {
                planned.Add(plan);
            }
        }

        if (planned.Count > 0)
        {
            try
            {
                foreach (var (index, recorded) in await RecordOwnedAsync(planned, owner, now))
                {
                    results[index] = recorded;
                }
            }
            catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
            {
                // Nothing of the fast write was kept (one transaction); the tracked path below reads and writes every row.
                logger.LogDebug(ex, "Recording {Count} attempts in one statement batch failed; recording them row by row", planned.Count);
            }
        }

        // By reference: two equal records of one delivery are two attempts.
        var rest = new Dictionary<FinishedAttempt, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is null)
            {
                rest[batch[i]] = i;
            }
        }

        if (rest.Count > 0)
        {
            IReadOnlyList<RecordedAttempt> tracked;
            try
            {
                tracked = await RecordTrackedAsync(owner, [.. rest.Keys]);
            }
            catch (Exception ex) when (results.Any(r => r is not null))
            {
                // The statement path's records are committed: the caller must not record them again.
                throw new PartlyRecordedException([.. results.OfType<RecordedAttempt>()], ex);
            }

            foreach (var recorded in tracked)
            {
                results[rest[recorded.Attempt]] = recorded;
            }
        }

        return [.. results.OfType<RecordedAttempt>()];
    }

    /// <summary>
    /// An attempt whose delivery the recording owner claimed and still held when it was read, with the delivery as the
    /// record will leave it, computed by <see cref="Delivery"/>'s own transitions from the claimed state.
    /// </summary>
    /// <param name="Index">The attempt's place in the batch.</param>
    /// <param name="After">The delivery after <see cref="Delivery.RecordAttempt"/> and its transition.</param>
    /// <param name="Previous">The attempt count the row must still have for the record to apply.</param>
    protected sealed record PlannedRecord(int Index, FinishedAttempt Item, Delivery After, DeliveryAttempt Attempt, int Previous);

    private PlannedRecord? Plan(FinishedAttempt item, int index, string owner, DateTime now)
    {
        var claimed = item.Delivery;
        if (claimed.LeaseOwner != owner || claimed.Status != DeliveryStatus.Pending)
        {
            return null;
        }

        var after = new Delivery
        {
            Id = claimed.Id,
            WebhookId = claimed.WebhookId,
            Status = DeliveryStatus.Pending,
            AttemptCount = claimed.AttemptCount,
            NextAttemptAt = claimed.NextAttemptAt,
            LeaseOwner = owner,
            LeaseUntil = claimed.LeaseUntil,
        };
        var number = after.RecordAttempt(item.Outcome, now);
        Finish(after, item, number, now);
        return new PlannedRecord(index, item, after, after.Attempts[^1], claimed.AttemptCount);
    }

    // The common case, without loading a row: every attempt whose delivery this owner still holds as claimed (pending, the
    // same attempt count) is written by the dialect's statements in one transaction, each guarded by that state in its
    // WHERE. What a guard refuses (a lease taken over, a cancel, another record in between) is left to the tracked path.
    private async Task<List<(int Index, RecordedAttempt Recorded)>> RecordOwnedAsync(List<PlannedRecord> planned, string owner, DateTime now)
    {
        var recorded = new List<(int, RecordedAttempt)>(planned.Count);
        List<(int WebhookId, bool Gone)> disabled;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await writes.WaitAsync();
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                var applied = await WriteOwnedAsync(db, transaction.GetDbTransaction(), planned, owner, now);
                var failing = new HashSet<int>();
                var gone = new HashSet<int>();
                foreach (var plan in planned)
                {
                    if (!applied.Contains(plan.After.Id))
                    {
                        continue;
                    }

                    NoteFailure(plan.Item, plan.After.WebhookId, failing, gone);

                    recorded.Add((plan.Index, new RecordedAttempt(plan.Item, plan.Attempt.Number, plan.After.Status,
                        plan.After.Status == DeliveryStatus.Pending ? plan.After.NextAttemptAt : null, Applied: true)));
                }

                disabled = await DisableFailingAsync(db, failing, gone, now);
                await transaction.CommitAsync();
            }
            finally
            {
                writes.Release();
            }
        }

        LogDisabled(disabled);
        return recorded;
    }

    /// <summary>
    /// Writes every planned record whose delivery still has the claimed state — <paramref name="owner"/>'s lease, pending,
    /// <see cref="PlannedRecord.Previous"/> attempts — as <see cref="PlannedRecord.After"/> with its attempt, inside
    /// <paramref name="transaction"/>; returns the ids of those written. Each guard sits in the statement, so a row changed
    /// by another writer since the claim is left untouched.
    /// </summary>
    protected abstract Task<HashSet<Guid>> WriteOwnedAsync(PortalDbContext db, DbTransaction transaction, IReadOnlyList<PlannedRecord> planned, string owner, DateTime now);

    /// <summary>
    /// The tracked path of <see cref="RecordAsync"/>: loads the rows, applies each attempt to the row as stored, and saves
    /// with the concurrency tokens; a save that loses a race is read and written again.
    /// </summary>
    private async Task<IReadOnlyList<RecordedAttempt>> RecordTrackedAsync(string owner, IReadOnlyList<FinishedAttempt> batch)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                return await RecordOnceAsync(owner, batch);
            }
            catch (DbUpdateException ex) when (round < RaceRetries && (ex is DbUpdateConcurrencyException || ex.IsConstraintViolation()))
            {
                // Another writer changed one of the rows since they were read (a claim, a cancel, another record): nothing of
                // this batch was written; read the rows again and number the attempts after what is stored now.
                logger.LogDebug(ex, "Recording {Count} attempts met a concurrent change (round {Round}); reading them again", batch.Count, round);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * round)));
            }
        }
    }

    private async Task<IReadOnlyList<RecordedAttempt>> RecordOnceAsync(string owner, IReadOnlyList<FinishedAttempt> batch)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        var ids = batch.Select(f => f.Delivery.Id).ToList();
        var rows = await db.Deliveries.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        var recorded = new List<RecordedAttempt>(batch.Count);
        var failing = new HashSet<int>();
        var gone = new HashSet<int>();
        foreach (var item in batch)
        {
            if (!rows.TryGetValue(item.Delivery.Id, out var row))
            {
                continue;
            }

            var outcome = item.Outcome;
            var number = row.RecordAttempt(outcome, now);
            var applied = false;
            if (row.LeaseOwner == owner)
            {
                if (row.Status == DeliveryStatus.Pending)
                {
                    Finish(row, item, number, now);
                    applied = true;
                }
                else
                {
                    // Cancelled while in flight: the attempt is history, and the lease kept for it is no longer needed.
                    row.Release();
                }
            }
            else if (outcome.Succeeded && row.Status == DeliveryStatus.Pending && !item.Once)
            {
                // The lease ran out and another owner (or none) has the delivery, but the receiver has it: it succeeded, and
                // the new owner's attempt, if one is running, is recorded as history when it ends (its lease is gone).
                // Leaving it pending would send it again and could end it Failed although it was delivered.
                row.Succeed(now);
                applied = true;
            }

            if (applied)
            {
                NoteFailure(item, row.WebhookId, failing, gone);
            }

            recorded.Add(new RecordedAttempt(item, number, row.Status, applied && row.Status == DeliveryStatus.Pending ? row.NextAttemptAt : null, applied));
        }

        var disabled = await SaveAndDisableAsync(db, failing, gone, now);
        LogDisabled(disabled);
        return recorded;
    }

    // Which applied attempts the auto-disable check looks at: failures of a webhook's delivery, except Send test's; a 410
    // Gone among them disables at once.
    private static void NoteFailure(FinishedAttempt item, int? webhookId, HashSet<int> failing, HashSet<int> gone)
    {
        if (!item.Once && !item.Outcome.Succeeded && webhookId is { } id)
        {
            (item.Outcome.StatusCode == 410 ? gone : failing).Add(id);
        }
    }

    private void Finish(Delivery row, FinishedAttempt item, int number, DateTime now)
    {
        if (item.Outcome.Succeeded)
        {
            row.Succeed(now);
        }
        else if (!item.Once && RetryPolicy.NextDelay(options.Value, number, item.Outcome, Random.Shared.NextDouble()) is { } delay)
        {
            row.ScheduleRetry(now + delay);
        }
        else
        {
            row.Fail(now);
        }
    }

    private async Task<List<(int WebhookId, bool Gone)>> SaveAndDisableAsync(PortalDbContext db, HashSet<int> failing, HashSet<int> gone, DateTime now)
    {
        await writes.WaitAsync();
        try
        {
            if (failing.Count == 0 && gone.Count == 0)
            {
                await db.SaveChangesAsync();
                return [];
            }

            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.SaveChangesAsync();
            var disabled = await DisableFailingAsync(db, failing, gone, now);
            await transaction.CommitAsync();
            return disabled;
        }
        finally
        {
            writes.Release();
        }
    }

    // Inside the caller's transaction: no claim sees the released leases of a webhook about to be disabled.
    private async Task<List<(int WebhookId, bool Gone)>> DisableFailingAsync(PortalDbContext db, HashSet<int> failing, HashSet<int> gone, DateTime now)
    {
        var disabled = new List<(int, bool)>();
        // Once per webhook and batch: the check reads the webhook's attempt history, which a dead receiver makes long.
        foreach (var failingWebhook in failing.Except(gone))
        {
            if (await AutoDisable.CheckAsync(db, failingWebhook, options.Value, now))
            {
                disabled.Add((failingWebhook, false));
            }
        }

        foreach (var webhookId in gone)
        {
            // 410 Gone: the receiver says this URL will never work again, so stop sending to it.
            if (await AutoDisable.DisableAsync(db, webhookId, new CodedMessage(MessageCodes.Gone), now))
            {
                disabled.Add((webhookId, true));
            }
        }

        return disabled;
    }

    private void LogDisabled(List<(int WebhookId, bool Gone)> disabled)
    {
        foreach (var (webhookId, isGone) in disabled)
        {
            if (isGone)
            {
                logger.LogWarning("Webhook {WebhookId} disabled: its receiver answered 410 Gone", webhookId);
            }
            else
            {
                logger.LogWarning("Webhook {WebhookId} disabled: it has failed for {Span} without a success", webhookId, options.Value.AutoDisableAfter);
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="delivery"/> (new) to the outbox, leased to <paramref name="owner"/> for
    /// <see cref="DeliveryOptions.LeaseDuration"/> when it is pending, so no dispatcher sends it while its owner does; if the
    /// owner dies, the lease runs out and a dispatcher sends it as any other.
    /// </summary>
    public async Task AddLeasedAsync(Delivery delivery, string owner, CancellationToken cancellationToken = default)
    {
        if (delivery.Status == DeliveryStatus.Pending)
        {
            delivery.Lease(owner, time.GetUtcNow().UtcDateTime + options.Value.LeaseDuration);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Deliveries.Add(delivery);
        await writes.WaitAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            writes.Release();
        }
    }

    /// <summary>
    /// Hands <paramref name="ids"/> back unattempted (<see cref="Delivery.Release"/>), those whose lease
    /// <paramref name="owner"/> still holds; returns how many.
    /// </summary>
    public async Task<int> ReleaseAsync(string owner, IReadOnlyCollection<Guid> ids)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Deliveries.Where(d => ids.Contains(d.Id) && d.LeaseOwner == owner)
            .ExecuteUpdateAsync(Delivery.SetReleased);
    }

    /// <summary>
    /// Puts delivery <paramref name="id"/> back unattempted, due at <paramref name="at"/> (UTC), if <paramref name="owner"/>
    /// still holds its lease and it is pending (<see cref="Delivery.Defer"/>); a <paramref name="note"/> (a serialized
    /// <see cref="CodedMessage"/>) becomes its last error. Returns whether it did.
    /// </summary>
    public async Task<bool> DeferAsync(string owner, Guid id, DateTime at, string? note = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Deliveries.Where(d => d.Id == id && d.LeaseOwner == owner && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => Delivery.SetDeferred(s, at, note)) > 0;
    }

    /// <summary>
    /// Releases every lease whose owner starts with <paramref name="ownerPrefix"/> (an earlier process of the same instance,
    /// killed before it could hand its deliveries back), except <paramref name="owner"/>'s own; returns how many.
    /// </summary>
    public async Task<int> ReleaseEarlierLivesAsync(string ownerPrefix, string owner, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries
            .Where(d => d.LeaseOwner != null && d.LeaseOwner.StartsWith(ownerPrefix) && d.LeaseOwner != owner)
            .ExecuteUpdateAsync(Delivery.SetReleased, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the lock that orders this process's writes.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            writes.Dispose();
        }
    }

    /// <summary>Whether webhook <paramref name="webhookId"/> is enabled: one primary-key read; null when it no longer exists.</summary>
    public async Task<bool?> IsWebhookEnabledAsync(int webhookId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Webhooks.Where(w => w.Id == webhookId).Select(w => (bool?)w.Enabled).FirstOrDefaultAsync();
    }
}
