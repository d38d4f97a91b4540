using System.Collections.Concurrent;
using System.Diagnostics;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>
/// When each delivery attempt started and how long it took, from the engine's own <c>webhook.delivery.attempt</c> spans
/// (<see cref="DeliveryTelemetry"/>), heard by an <see cref="ActivityListener"/> while this object lives; by delivery id.
/// Start times are <see cref="Stopwatch"/> timestamps (the span's UTC start moved onto the stopwatch's clock), so they
/// compare with the other timings of a run.
/// </summary>
public sealed class AttemptSpans : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentDictionary<Guid, (long StartedAt, TimeSpan Duration)> spans = new();
    private readonly long stopwatchAt = Stopwatch.GetTimestamp();
    private readonly DateTime utcAt = DateTime.UtcNow;

    public AttemptSpans()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DeliveryTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == DeliveryTelemetry.AttemptSpan
                    && Guid.TryParse(activity.GetTagItem(DeliveryTelemetry.DeliveryIdTag) as string, out var id))
                {
                    var ticks = (activity.StartTimeUtc - utcAt).TotalSeconds * Stopwatch.Frequency;
                    spans[id] = (stopwatchAt + (long)ticks, activity.Duration);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The attempt spans heard so far (the last of each delivery).</summary>
    public IReadOnlyDictionary<Guid, (long StartedAt, TimeSpan Duration)> Spans => spans;

    /// <inheritdoc />
    public void Dispose() => listener.Dispose();
}
