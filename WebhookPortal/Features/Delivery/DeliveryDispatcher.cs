using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The outbox's consumer (docs/architecture.md, "Delivery states"): claims due deliveries with a lease, sends each through
/// <see cref="WebhookSender"/> with at most <see cref="DeliveryOptions.MaxConcurrency"/> in flight (and
/// <see cref="DeliveryOptions.MaxConcurrencyPerWebhook"/> per webhook), records every attempt, and marks the delivery
/// Succeeded, schedules its retry, or marks it Failed. A delivery over its robot's rate limit waits, with no attempt counted.
/// Deliveries that a stopped process left pending, or whose lease expired, are picked up again.
/// <para>
/// Attempts are recorded by one writer that drains finished attempts in batches of up to <see cref="RecordBatchMax"/>, one
/// transaction each: a slot is free again as soon as its HTTP exchange ends, and SQLite's single writer commits once per
/// batch instead of once per delivery.
/// </para>
/// </summary>
public sealed class DeliveryDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceScopeFactory scopes,
    DeliverySignal signal,
    DeliveryFeed feed,
    DeliveryRateLimiter rateLimiter,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryDispatcher> logger,
    DispatcherHeartbeat heartbeat,
    DeliveryMetrics metrics) : BackgroundService
{
    // This process's leases: its instance (see DeliveryOptions.InstanceId), then the process, made unique by a random part
    // since a restarted container gets the same process id.
    private readonly string owner = $"{options.Value.InstanceId}/{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}";

    // The dispatcher's own writes take turns here: SQLite has one writer at a time, and concurrent attempts that met its
    // lock would back off in growing sleeps (1, 2, 5, 10 … ms) instead of following each other at once.
    private readonly SemaphoreSlim writes = new(1, 1);

    /// <summary>Most attempts written in one transaction.</summary>
    internal const int RecordBatchMax = 256;

    private readonly Channel<Finished> unrecorded = Channel.CreateUnbounded<Finished>(new UnboundedChannelOptions { SingleReader = true });

    // Sent but not yet recorded: their slots are free, but they must not be claimed again before their record is written.
    private readonly ConcurrentDictionary<Guid, byte> recording = new();

    private sealed record Finished(Delivery Delivery, AttemptOutcome Outcome);

    /// <summary>The most deliveries this dispatcher has held in memory at once; never above 2 × <see cref="DeliveryOptions.MaxConcurrency"/>.</summary>
    internal int PeakHeld { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inFlight = new Dictionary<Guid, Task>();
        // Claimed ahead of the free slots, so that most finishing attempts start the next from memory and the database is
        // asked once per batch rather than once per delivery. Leased to this process like the ones in flight.
        var ready = new Queue<Delivery>();
        // Not tied to stoppingToken: it drains every finished attempt before the dispatcher stops.
        await ReleaseEarlierLivesAsync(stoppingToken);
        var writer = Task.Run(RecordLoopAsync, CancellationToken.None);
        // One wait at a time: an abandoned wait could swallow a wake meant for the next one.
        Task? wake = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                heartbeat.Beat();
                foreach (var done in inFlight.Where(p => p.Value.IsCompleted).Select(p => p.Key).ToList())
                {
                    inFlight.Remove(done);
                }

                var max = options.Value.MaxConcurrency;
                StartReady(max);

                // At most two rounds of slots are held in memory (in flight, claimed ahead, waiting to be recorded): a writer
                // that falls behind holds up claims instead of letting finished attempts pile up (memory stays
                // bounded however many deliveries are due). The claim comes when less than half a round is ready.
                var held = inFlight.Count + ready.Count + recording.Keys.Count(id => !inFlight.ContainsKey(id));
                PeakHeld = Math.Max(PeakHeld, held);
                var room = 2 * max - held;
                if (ready.Count < (max + 1) / 2 && room > 0)
                {
                    try
                    {
                        foreach (var delivery in await ClaimAsync(room, new HashSet<Guid>([.. inFlight.Keys, .. recording.Keys]), stoppingToken))
                        {
                            ready.Enqueue(delivery);
                        }
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        logger.LogError(ex, "Claiming deliveries failed; trying again after the poll interval");
                    }

                    StartReady(max);
                }

                wake ??= signal.WaitAsync(options.Value.PollInterval, time, stoppingToken);
                // A finishing attempt frees a slot for a ready delivery; a recorded batch frees its webhooks' leases (the
                // writer wakes the signal); a committed event brings new deliveries.
                await (inFlight.Count > 0 ? Task.WhenAny(wake, Task.WhenAny(inFlight.Values)) : wake);
                if (wake.IsCompleted)
                {
                    var finished = wake;
                    wake = null;
                    await finished;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // In-flight attempts hand their deliveries back, ready ones are released unsent, and finished ones are recorded,
            // before the services they use are disposed.
            await Task.WhenAll(inFlight.Values);
            await ReleaseAsync([.. ready.Select(d => d.Id)]);
            unrecorded.Writer.TryComplete();
            await writer;
        }

        void StartReady(int max)
        {
            while (inFlight.Count < max && ready.TryDequeue(out var delivery))
            {
                inFlight[delivery.Id] = ProcessAsync(delivery, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> due deliveries to this process, oldest due first, leaving out those whose webhook
    /// already has <see cref="DeliveryOptions.MaxConcurrencyPerWebhook"/> attempts running here or in another process, and
    /// those whose webhook is disabled (<see cref="DeliveryStatus.Paused"/>: they keep their place until it is enabled), and, for
    /// a webhook that keeps order per user (<see cref="Webhooks.Webhook.OrderedPerUser"/>), those behind an earlier pending or a
    /// leased delivery of the same user.
    /// </summary>
    /// <param name="inFlight">Deliveries this process is still sending or recording; never claimed twice, even if their lease ran out.</param>
    internal async Task<List<Delivery>> ClaimAsync(int max, IReadOnlySet<Guid> inFlight, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var perWebhook = options.Value.MaxConcurrencyPerWebhook;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Only live leases are read (through the LeaseUntil index), so this costs what is running, not what is pending.
        var running = await db.Deliveries
            .Where(d => d.LeaseUntil >= now && d.Status == DeliveryStatus.Pending && d.WebhookId != null)
            .GroupBy(d => d.WebhookId!.Value)
            .Select(g => new { WebhookId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.WebhookId, g => g.Count, cancellationToken);

        // The oldest few due of every webhook, each found by a seek on (WebhookId, Status, NextAttemptAt), so a long backlog
        // of one webhook can hide neither the others' deliveries nor make the claim cost grow with the backlog. The LIMIT
        // leaves room for rows that the caps below skip: at most perWebhook for each webhook at its cap, and the in-flight.
        // A webhook that keeps order per user offers only the head of each user's line: no pending delivery of the same
        // (webhook, user) comes before it in event order (Sequence, then Id for equal numbers, as deliveries made before
        // sequences had), and no later one is leased (a redelivered earlier one never joins a later one in flight; p itself
        // is unleased, so it never matches). Both are seeks on (WebhookId, UserId, Status, Sequence, LeaseUntil), the second
        // read from the index alone and run only for heads. They sit before the LIMIT, so a user's waiting line takes no
        // place from the webhook's other users; unordered webhooks skip them.
        var limit = max + inFlight.Count + perWebhook * running.Count(r => r.Value >= perWebhook);
        var postgreSql = db.Database.IsPostgreSql();
        var candidates = postgreSql ? await PostgreSqlClaim.CandidatesAsync(db, now, perWebhook, limit, cancellationToken) : await db.Database.SqlQuery<ClaimCandidate>($"""
            SELECT "Id", "WebhookId", "NextAttemptAt" FROM (
                SELECT d."Id", d."WebhookId", d."NextAttemptAt"
                FROM "Webhooks" AS w
                JOIN "Deliveries" AS d ON d."Id" IN (
                    SELECT p."Id" FROM "Deliveries" AS p
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
                    ORDER BY p."NextAttemptAt" LIMIT {perWebhook})
                WHERE w."Enabled"
                UNION ALL
                SELECT * FROM (
                    SELECT p."Id", p."WebhookId", p."NextAttemptAt" FROM "Deliveries" AS p
                    WHERE p."WebhookId" IS NULL AND p."Status" = {(int)DeliveryStatus.Pending} AND p."NextAttemptAt" <= {now}
                      AND (p."LeaseUntil" IS NULL OR p."LeaseUntil" < {now})
                    ORDER BY p."NextAttemptAt" LIMIT {limit}))
            ORDER BY "NextAttemptAt" LIMIT {limit}
            """).ToListAsync(cancellationToken);
        var due = new List<Guid>();
        foreach (var candidate in candidates)
        {
            if (due.Count == max)
            {
                break;
            }

            if (inFlight.Contains(candidate.Id))
            {
                continue;
            }

            if (candidate.WebhookId is { } webhookId)
            {
                var busy = running.GetValueOrDefault(webhookId);
                if (busy >= perWebhook)
                {
                    continue;
                }

                running[webhookId] = busy + 1;
            }

            due.Add(candidate.Id);
        }

        if (due.Count == 0)
        {
            return [];
        }

        // The lease condition is repeated in the UPDATE so that of two processes racing for a row only one wins it. Raw SQL
        // for "+Status": without it SQLite walks the Status index over every pending row instead of seeking the ids.
        var leaseUntil = now + options.Value.LeaseDuration;
        await writes.WaitAsync(cancellationToken);
        try
        {
            if (postgreSql)
            {
                await PostgreSqlClaim.LeaseAsync(db, [.. due], leaseUntil, owner, now, cancellationToken);
            }
            else
            {
                var ids = JsonSerializer.Serialize(due.Select(id => id.ToString().ToUpperInvariant()));
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE "Deliveries" SET "LeaseUntil" = {leaseUntil}, "LeaseOwner" = {owner}
                    WHERE "Id" IN (SELECT "value" FROM json_each({ids}))
                      AND +"Status" = {(int)DeliveryStatus.Pending} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                    """, cancellationToken);
            }
        }
        finally
        {
            writes.Release();
        }

        // With the webhook, for its current signing secret: a rotated secret signs the next attempt.
        return await db.Deliveries.AsNoTracking()
            .Include(d => d.Webhook)
            .Where(d => due.Contains(d.Id) && d.LeaseOwner == owner && d.LeaseUntil == leaseUntil)
            .ToListAsync(cancellationToken);
    }

    private async Task ProcessAsync(Delivery delivery, CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!await WebhookEnabledAsync(delivery))
        {
            // Disabled since the claim (by hand or by auto-disable): no attempt starts; the delivery waits, paused, in its place.
            await ReleaseAsync([delivery.Id]);
            return;
        }

        if (await rateLimiter.TryAcquireAsync(delivery, CancellationToken.None) is { } wait)
        {
            // Over the robot's rate limit: not an attempt and not a failure; the delivery waits its turn.
            await DeferAsync(delivery, wait);
            return;
        }

        var started = time.GetTimestamp();
        var span = DeliveryTelemetry.StartAttempt(delivery);
        AttemptOutcome outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            outcome = await scope.ServiceProvider.GetRequiredService<WebhookSender>().SendAsync(delivery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            DeliveryTelemetry.AbandonAttempt(span);
            // Shutting down mid-attempt: hand the delivery back so the next start sends it without waiting out the lease.
            await ReleaseAsync([delivery.Id]);
            return;
        }
        catch (Exception ex)
        {
            // Recorded as a failed attempt, so the schedule still runs out and the delivery cannot loop forever unseen.
            logger.LogError(ex, "Delivery {DeliveryId} failed unexpectedly while sending", delivery.Id);
            outcome = AttemptOutcome.RetryableFailure(new CodedMessage(MessageCodes.InternalError, ex.Message), time.GetElapsedTime(started));
        }

        if (outcome is { NotSent: true, RetryAfter: { } breakDuration })
        {
            // The host's circuit refused it before anything was sent: not an attempt and not a failure (a redelivered
            // delivery, whose schedule is spent, would otherwise fail unsent). It waits out the break in its place, like a
            // rate-limited one, with the wait shown as its last error.
            DeliveryTelemetry.AbandonAttempt(span);
            await DeferAsync(delivery, breakDuration, outcome.WaitNote);
            return;
        }

        DeliveryTelemetry.EndAttempt(span, outcome);

        // The slot is free from here on; the record follows in the writer's next batch.
        recording[delivery.Id] = 0;
        if (!unrecorded.Writer.TryWrite(new Finished(delivery, outcome)))
        {
            recording.TryRemove(delivery.Id, out _);
            logger.LogError("The attempt of delivery {DeliveryId} could not be queued for recording; its lease will expire and it will be sent again", delivery.Id);
        }
    }

    // One primary-key read just before the request: a delivery can wait in the ready queue after its claim, and a webhook
    // disabled meanwhile must not get another attempt. A delivery without a webhook is not paused by anything.
    private async Task<bool> WebhookEnabledAsync(Delivery delivery)
    {
        if (delivery.WebhookId is not { } webhookId)
        {
            return true;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            return await db.Webhooks.Where(w => w.Id == webhookId).Select(w => (bool?)w.Enabled).FirstOrDefaultAsync() ?? true;
        }
        catch (Exception ex)
        {
            // The claim a moment ago found it enabled; a failed re-read should not cost the delivery its turn.
            logger.LogWarning(ex, "Could not read whether webhook {WebhookId} is still enabled; sending delivery {DeliveryId} as claimed", webhookId, delivery.Id);
            return true;
        }
    }

    private async Task RecordLoopAsync()
    {
        var batch = new List<Finished>(RecordBatchMax);
        while (await unrecorded.Reader.WaitToReadAsync())
        {
            while (batch.Count < RecordBatchMax && unrecorded.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await RecordAsync(batch);
            }
            catch (Exception ex) when (batch.Count > 1)
            {
                // One bad row must not cost the others their record: write them one by one.
                logger.LogWarning(ex, "Recording a batch of {Count} attempts failed; recording them one by one", batch.Count);
                foreach (var item in batch)
                {
                    try
                    {
                        await RecordAsync([item]);
                    }
                    catch (Exception one)
                    {
                        logger.LogError(one, "The attempt of delivery {DeliveryId} could not be recorded; its lease will expire and it will be sent again", item.Delivery.Id);
                    }
                }
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The attempt of delivery {DeliveryId} could not be recorded; its lease will expire and it will be sent again", batch[0].Delivery.Id);
            }

            foreach (var item in batch)
            {
                recording.TryRemove(item.Delivery.Id, out _);
            }

            batch.Clear();
            feed.Publish();
            // Recorded deliveries no longer hold their webhook's leases: a delivery waiting for that cap may go now.
            signal.Wake();
        }
    }

    private async Task RecordAsync(IReadOnlyList<Finished> batch)
    {
        var now = time.GetUtcNow().UtcDateTime;

        await using var db = await dbFactory.CreateDbContextAsync();
        var ids = batch.Select(f => f.Delivery.Id).ToList();
        var rows = await db.Deliveries.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        var recorded = new List<(Finished Item, DeliveryStatus Status, int Number)>(batch.Count);
        DateTime? soonest = null;
        foreach (var item in batch)
        {
            if (!rows.TryGetValue(item.Delivery.Id, out var row))
            {
                continue;
            }

            var outcome = item.Outcome;
            // Numbered from the stored row, so an attempt that outlived its lease cannot reuse a number.
            var number = row.RecordAttempt(outcome, now);
            if (row.Status != DeliveryStatus.Pending || row.LeaseOwner != owner)
            {
                // Cancelled meanwhile, or the lease ran out and the delivery was claimed again: the attempt is history, the state is not ours.
                continue;
            }

            row.LeaseUntil = null;
            row.LeaseOwner = null;
            if (outcome.Succeeded)
            {
                row.Status = DeliveryStatus.Succeeded;
                row.NextAttemptAt = null;
                row.CompletedAt = now;
            }
            else if (RetryPolicy.NextDelay(options.Value, number, outcome, Random.Shared.NextDouble()) is { } delay)
            {
                row.NextAttemptAt = now + delay;
                soonest = soonest < row.NextAttemptAt ? soonest : row.NextAttemptAt;
            }
            else
            {
                row.Status = DeliveryStatus.Failed;
                row.NextAttemptAt = null;
                row.CompletedAt = now;
            }

            recorded.Add((item, row.Status, number));
        }

        var failing = new HashSet<int>();
        var gone = new HashSet<int>();
        foreach (var (item, _, _) in recorded)
        {
            if (item.Delivery.WebhookId is { } webhookId && !item.Outcome.Succeeded)
            {
                (item.Outcome.StatusCode == 410 ? gone : failing).Add(webhookId);
            }
        }

        var disabled = await SaveAndDisableAsync(db, failing, gone, now);
        if (soonest is { } retryAt)
        {
            // A retry may fall due before the poll interval ends.
            signal.WakeAt(retryAt);
        }

        foreach (var (item, status, number) in recorded)
        {
            var (delivery, outcome) = (item.Delivery, item.Outcome);
            metrics.RecordAttempt(
                status switch { DeliveryStatus.Succeeded => DeliveryMetrics.Succeeded, DeliveryStatus.Failed => DeliveryMetrics.Failed, _ => DeliveryMetrics.RetryScheduled },
                outcome.Duration);
            logger.LogInformation(
                "Delivery {DeliveryId} attempt {Attempt} to webhook {WebhookId}: {Status}, {Answer} in {DurationMs} ms",
                delivery.Id, number, delivery.WebhookId, status, outcome.StatusCode is { } code ? $"HTTP {code}" : "no response", (int)outcome.Duration.TotalMilliseconds);
        }

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

    // The batch and any auto-disable it causes commit together, so no claim can see the released leases of a webhook that is
    // about to be disabled and start another attempt in between: after the commit its deliveries are Paused.
    private async Task<List<(int WebhookId, bool Gone)>> SaveAndDisableAsync(PortalDbContext db, HashSet<int> failing, HashSet<int> gone, DateTime now)
    {
        var disabled = new List<(int, bool)>();
        await writes.WaitAsync();
        try
        {
            if (failing.Count == 0 && gone.Count == 0)
            {
                await db.SaveChangesAsync();
                return disabled;
            }

            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.SaveChangesAsync();
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

            await transaction.CommitAsync();
            return disabled;
        }
        finally
        {
            writes.Release();
        }
    }

    // Puts a leased delivery back, unattempted, to be claimed again after the wait; a note (a serialized CodedMessage) says why.
    private async Task DeferAsync(Delivery delivery, TimeSpan wait, string? note = null)
    {
        var next = time.GetUtcNow().UtcDateTime + wait;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.Deliveries.Where(d => d.Id == delivery.Id && d.LeaseOwner == owner && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(s =>
                {
                    s.SetProperty(d => d.NextAttemptAt, next)
                        .SetProperty(d => d.LeaseUntil, (DateTime?)null)
                        .SetProperty(d => d.LeaseOwner, (string?)null);
                    if (note is not null)
                    {
                        s.SetProperty(d => d.LastError, note);
                    }
                });
            signal.WakeAt(next);
            if (note is not null)
            {
                // The note is news on the delivery pages; a rate limit's silent wait is not.
                feed.Publish();
            }

            logger.LogDebug("Delivery {DeliveryId} to webhook {WebhookId} waits {WaitMs} ms unsent ({Reason})",
                delivery.Id, delivery.WebhookId, (int)wait.TotalMilliseconds, note is null ? $"{delivery.Target} rate limit" : "circuit open");
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Delivery {DeliveryId} could not be put back to wait; it keeps its lease until it expires", delivery.Id);
        }
    }

    /// <summary>
    /// Frees the leases that an earlier process of this instance held when it ended without releasing them (killed, crashed):
    /// they would count against <see cref="DeliveryOptions.MaxConcurrencyPerWebhook"/> until they expired, so a restart
    /// would send nothing to those webhooks for up to <see cref="DeliveryOptions.LeaseDuration"/> and then everything at once.
    /// </summary>
    private async Task ReleaseEarlierLivesAsync(CancellationToken cancellationToken)
    {
        var instance = options.Value.InstanceId + "/";
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var released = await db.Deliveries
                .Where(d => d.LeaseOwner != null && d.LeaseOwner.StartsWith(instance) && d.LeaseOwner != owner)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, (DateTime?)null).SetProperty(d => d.LeaseOwner, (string?)null), cancellationToken);
            if (released > 0)
            {
                logger.LogWarning("Released {Count} deliveries that an earlier process of instance {InstanceId} left leased; they are sent again now",
                    released, options.Value.InstanceId);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not release the leases of an earlier process of instance {InstanceId}; they are sent again when they expire",
                options.Value.InstanceId);
        }
    }

    private async Task ReleaseAsync(IReadOnlyCollection<Guid> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.Deliveries.Where(d => ids.Contains(d.Id) && d.LeaseOwner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, (DateTime?)null).SetProperty(d => d.LeaseOwner, (string?)null));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Deliveries {DeliveryIds} keep their lease until it expires", ids);
        }
    }
}
