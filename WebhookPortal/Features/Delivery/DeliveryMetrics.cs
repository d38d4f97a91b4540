using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The delivery engine's metrics (meter <c>WebhookPortal.Delivery</c>): every recorded attempt by outcome, attempt
/// durations, and the outbox's depth and oldest pending age, read from the database when a collector asks.
/// </summary>
public sealed class DeliveryMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c> in an OpenTelemetry set-up or <c>dotnet-counters --counters</c>.</summary>
    public const string MeterName = "WebhookPortal.Delivery";

    /// <summary>Counter of recorded attempts, tagged <c>outcome</c>.</summary>
    public const string DeliveriesInstrument = "webhookportal.deliveries";

    /// <summary>Histogram of attempt durations in seconds, tagged <c>outcome</c>.</summary>
    public const string AttemptDurationInstrument = "webhookportal.delivery.attempt.duration";

    /// <summary>Gauge: pending deliveries (waiting for a first attempt, a retry, or in flight); Paused ones are not counted.</summary>
    public const string QueueDepthInstrument = "webhookportal.delivery.queue.depth";

    /// <summary>
    /// Gauge: seconds since the oldest pending delivery was created; 0 when none is pending. A disabled webhook's (Paused)
    /// deliveries are left out: they wait on purpose, and would otherwise read as a stuck dispatcher.
    /// </summary>
    public const string OldestPendingAgeInstrument = "webhookportal.delivery.oldest_pending.age";

    /// <summary>The tag naming what an attempt came to.</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>Outcome: the delivery succeeded.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Outcome: the delivery failed for good (retries exhausted, a permanent error, or a failed test).</summary>
    public const string Failed = "failed";

    /// <summary>Outcome: the attempt failed and another is scheduled.</summary>
    public const string RetryScheduled = "retry_scheduled";

    // Both gauges are read in one collection; one snapshot answers both instead of two round trips each.
    private static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(1);

    private readonly Counter<long> deliveries;
    private readonly Histogram<double> attemptDuration;
    private readonly IDbContextFactory<PortalDbContext> dbFactory;
    private readonly TimeProvider time;
    private readonly ILogger<DeliveryMetrics> logger;
    private readonly Lock gate = new();
    private (long Taken, long Depth, double OldestAgeSeconds)? snapshot;

    public DeliveryMetrics(IMeterFactory meterFactory, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, ILogger<DeliveryMetrics> logger)
    {
        this.dbFactory = dbFactory;
        this.time = time;
        this.logger = logger;
        var meter = meterFactory.Create(MeterName);
        deliveries = meter.CreateCounter<long>(DeliveriesInstrument, unit: "{attempt}",
            description: "Recorded delivery attempts by outcome: succeeded, failed, retry_scheduled.");
        attemptDuration = meter.CreateHistogram<double>(AttemptDurationInstrument, unit: "s",
            description: "How long one delivery attempt took, quick retries included.");
        meter.CreateObservableGauge(QueueDepthInstrument, () => Observe(s => s.Depth), unit: "{delivery}",
            description: "Pending deliveries: waiting for a first attempt or a retry, or in flight.");
        meter.CreateObservableGauge(OldestPendingAgeInstrument, () => Observe(s => s.OldestAgeSeconds), unit: "s",
            description: "Age of the oldest pending delivery; 0 when nothing is pending.");
    }

    /// <summary>Counts one recorded attempt and its duration under <paramref name="outcome"/> (one of the outcome constants).</summary>
    public void RecordAttempt(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(OutcomeTag, outcome);
        deliveries.Add(1, tag);
        attemptDuration.Record(duration.TotalSeconds, tag);
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<(long Taken, long Depth, double OldestAgeSeconds), T> pick)
        where T : struct =>
        Snapshot() is { } s ? [new Measurement<T>(pick(s))] : [];

    private (long Taken, long Depth, double OldestAgeSeconds)? Snapshot()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            if (snapshot is { } fresh && time.GetElapsedTime(fresh.Taken, now) < SnapshotLifetime)
            {
                return fresh;
            }

            try
            {
                // Observable instruments are read synchronously by the collector; two indexed queries on the outbox.
                using var db = dbFactory.CreateDbContext();
                var pending = db.Deliveries.AsNoTracking().Where(PausedDeliveries.IsPendingNotPaused);
                var depth = pending.LongCount();
                var oldest = depth == 0 ? null : pending.Min(d => (DateTime?)d.CreatedAt);
                var age = oldest is { } created ? Math.Max(0, (time.GetUtcNow().UtcDateTime - created).TotalSeconds) : 0;
                snapshot = (now, depth, age);
                return snapshot;
            }
            catch (Exception ex)
            {
                // No measurement is better than a wrong one; the health check reports the database itself.
                logger.LogWarning(ex, "Reading the delivery queue for metrics failed");
                return null;
            }
        }
    }
}
