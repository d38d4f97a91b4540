using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The outbox's consumer (docs/architecture.md, "Delivery states"): claims due deliveries with a lease, sends each through
/// <see cref="WebhookSender"/> with at most <see cref="DeliveryOptions.MaxConcurrency"/> in flight (and
/// <see cref="DeliveryOptions.MaxConcurrencyPerWebhook"/> per webhook), records every attempt, and marks the delivery
/// Succeeded, schedules its retry, or marks it Failed. A delivery over its robot's rate limit waits, with no attempt counted.
/// Deliveries that a stopped process left pending, or whose lease expired, are picked up again.
/// <para>
/// This is the scheduling (slots, the ready queue, batching, wake-ups); every read and change of the outbox goes through
/// <see cref="DeliveryStore"/>, under this process's lease owner.
/// </para>
/// <para>
/// Attempts are recorded by one writer that drains finished attempts in batches of up to <see cref="RecordBatchMax"/>, one
/// transaction each: a slot is free again as soon as its HTTP exchange ends, and SQLite's single writer commits once per
/// batch instead of once per delivery.
/// </para>
/// </summary>
public sealed class DeliveryDispatcher(
    DeliveryStore store,
    WebhookSender sender,
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

    /// <summary>Most attempts written in one transaction.</summary>
    internal const int RecordBatchMax = 256;

    private readonly Channel<FinishedAttempt> unrecorded = Channel.CreateUnbounded<FinishedAttempt>(new UnboundedChannelOptions { SingleReader = true });

    // Deliveries whose attempt task has ended, for the loop to free their slots: one wait on this channel instead of a
    // WhenAny over every task in flight after each finished attempt.
    private readonly Channel<Guid> ended = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// How long after its claim a delivery starts without reading again whether its webhook is still enabled. The claim read
    /// it; a webhook disabled within this span may still get the attempt, as one disabled a moment after the read would.
    /// A delivery that waited longer in the ready queue is checked with one primary-key read.
    /// </summary>
    internal static readonly TimeSpan EnabledRecheckAfter = TimeSpan.FromSeconds(1);

    /// <summary>How soon a claim that chose deliveries but leased none of them (another owner was first) is tried again.</summary>
    internal static readonly TimeSpan LostClaimRetry = TimeSpan.FromMilliseconds(50);

    // Sent but not yet recorded: their slots are free, but they must not be claimed again before their record is written.
    private readonly ConcurrentDictionary<Guid, byte> recording = new();

    /// <summary>
    /// How many rounds of slots (<see cref="DeliveryOptions.MaxConcurrency"/> each) the dispatcher holds in memory at most: in
    /// flight, claimed ahead and waiting to be recorded. Eight let a claim fetch about six rounds at once, so the claim's
    /// fixed cost (its statements read every webhook's heads and, on PostgreSQL, step over the index entries that earlier
    /// updates left dead) is paid once per several rounds rather than once per few deliveries.
    /// </summary>
    internal const int HeldRounds = 8;

    /// <summary>The most deliveries this dispatcher has held in memory at once; never above <see cref="HeldRounds"/> × <see cref="DeliveryOptions.MaxConcurrency"/>.</summary>
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
        Task<bool>? slotFreed = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                heartbeat.Beat();
                while (ended.Reader.TryRead(out var done))
                {
                    inFlight.Remove(done);
                }

                var max = options.Value.MaxConcurrency;
                StartReady(max);

                // At most HeldRounds rounds of slots are held in memory (in flight, claimed ahead, waiting to be recorded): a
                // writer that falls behind holds up claims instead of letting finished attempts pile up (memory stays
                // bounded however many deliveries are due). The claim comes when less than a round is ready.
                // Those recording and still in flight (ended since the drain above) count twice for a moment: a claim a little
                // smaller, never a bound broken.
                var held = inFlight.Count + ready.Count + recording.Count;
                PeakHeld = Math.Max(PeakHeld, held);
                var room = HeldRounds * max - held;
                if (ready.Count < max && room > 0)
                {
                    try
                    {
                        // Ready ones too: one whose lease ran out while it waited must not be claimed into the queue twice.
                        var exclude = new HashSet<Guid>(inFlight.Keys);
                        exclude.UnionWith(ready.Select(d => d.Id));
                        foreach (var (id, _) in recording)
                        {
                            exclude.Add(id);
                        }

                        var round = await store.ClaimRoundAsync(owner, room, exclude, stoppingToken);
                        foreach (var delivery in round.Leased)
                        {
                            ready.Enqueue(delivery);
                        }

                        if (round.Lost > 0)
                        {
                            // Another instance leased some of what this claim chose: others may still be due, and waiting for
                            // the next wake-up would leave this instance's slots idle meanwhile. A claim that leased nothing
                            // tries again a moment later, not at once: rows another transaction holds locked would otherwise
                            // be chosen and lost in a tight loop for as long as it holds them.
                            if (round.Leased.Count > 0)
                            {
                                signal.Wake();
                            }
                            else
                            {
                                signal.WakeAtHere(time.GetUtcNow().UtcDateTime + LostClaimRetry);
                            }
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
                slotFreed ??= ended.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                await Task.WhenAny(wake, slotFreed);
                if (slotFreed.IsCompleted)
                {
                    slotFreed = null;
                }

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
                // The claim excludes what this process holds, so an id can be here twice only if something else went wrong;
                // its lease is this process's either way, and one attempt at a time is sent.
                if (!inFlight.ContainsKey(delivery.Id))
                {
                    inFlight[delivery.Id] = RunAsync(delivery, stoppingToken);
                }
            }
        }
    }

    private async Task RunAsync(Delivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessAsync(delivery, stoppingToken);
        }
        finally
        {
            ended.Writer.TryWrite(delivery.Id);
        }
    }

    // Started by the loop and run on its thread up to the first await that does not complete at once (usually the wait
    // for the receiver's answer): building and sending the request needs no hop through the thread pool of its own.
    private async Task ProcessAsync(Delivery delivery, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!(delivery.LeaseUntil - now >= options.Value.LongestAttempt))
        {
            // Waited in the ready queue (behind slow receivers) until its lease could run out mid-attempt: another instance
            // could then send it too, or take it past its webhook's cap. Handed back unsent, to be claimed afresh. (A fresh
            // claim always passes: the options ask LeaseDuration to exceed LongestAttempt by 10 s.)
            await ReleaseAsync([delivery.Id]);
            return;
        }

        var claimedAt = delivery.LeaseUntil - options.Value.LeaseDuration;
        if (!(now - claimedAt < EnabledRecheckAfter) && !await WebhookEnabledAsync(delivery))
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
            outcome = await sender.SendAsync(delivery, stoppingToken);
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
        if (!unrecorded.Writer.TryWrite(new FinishedAttempt(delivery, outcome)))
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
            return await store.IsWebhookEnabledAsync(webhookId) ?? true;
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
        var batch = new List<FinishedAttempt>(RecordBatchMax);
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
                // One bad row must not cost the others their record: write them one by one, except those already recorded
                // (recording one again would add a second attempt to its history).
                var left = ex is PartlyRecordedException partly
                    ? batch.Where(item => !partly.Recorded.Any(r => ReferenceEquals(r.Attempt, item))).ToList()
                    : batch;
                logger.LogWarning(ex, "Recording a batch of {Count} attempts failed; recording {Left} of them one by one", batch.Count, left.Count);
                foreach (var item in left)
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

    private async Task RecordAsync(IReadOnlyList<FinishedAttempt> batch)
    {
        try
        {
            Report(await store.RecordAsync(owner, batch));
        }
        catch (PartlyRecordedException partly)
        {
            Report(partly.Recorded);
            throw;
        }
    }

    // Counts and logs recorded attempts, and wakes the loop for the soonest retry they scheduled.
    private void Report(IReadOnlyList<RecordedAttempt> recorded)
    {
        DateTime? soonest = null;
        foreach (var attempt in recorded)
        {
            if (attempt.RetryAt is { } at && !(soonest <= at))
            {
                soonest = at;
            }
        }

        if (soonest is { } retryAt)
        {
            // A retry may fall due before the poll interval ends.
            signal.WakeAt(retryAt);
        }

        foreach (var (item, number, status, _, applied) in recorded)
        {
            var (delivery, outcome) = (item.Delivery, item.Outcome);
            if (!applied)
            {
                // Cancelled meanwhile, or the lease ran out and the delivery was claimed again: the attempt is history, the state is not ours.
                logger.LogDebug("Delivery {DeliveryId} attempt {Attempt} recorded as history only; the delivery is {Status}", delivery.Id, number, status);
                continue;
            }

            metrics.RecordAttempt(
                status switch { DeliveryStatus.Succeeded => DeliveryMetrics.Succeeded, DeliveryStatus.Failed => DeliveryMetrics.Failed, _ => DeliveryMetrics.RetryScheduled },
                outcome.Duration);
            if (!logger.IsEnabled(LogLevel.Information))
            {
                // The arguments below are boxed into an array before the level is checked: every attempt would pay for it.
                continue;
            }

            logger.LogInformation(
                "Delivery {DeliveryId} attempt {Attempt} to webhook {WebhookId}: {Status}, {Answer} in {DurationMs} ms",
                delivery.Id, number, delivery.WebhookId, status, outcome.StatusCode is { } code ? $"HTTP {code}" : "no response", (int)outcome.Duration.TotalMilliseconds);
        }
    }

    // Puts a leased delivery back, unattempted, to be claimed again after the wait; a note (a serialized CodedMessage) says why.
    private async Task DeferAsync(Delivery delivery, TimeSpan wait, string? note = null)
    {
        var next = time.GetUtcNow().UtcDateTime + wait;
        try
        {
            await store.DeferAsync(owner, delivery.Id, next, note);
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
            var released = await store.ReleaseEarlierLivesAsync(instance, owner, cancellationToken);
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
        try
        {
            await store.ReleaseAsync(owner, ids);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Deliveries {DeliveryIds} keep their lease until it expires", ids);
        }
    }
}
