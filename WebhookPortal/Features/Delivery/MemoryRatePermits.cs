using System.Threading.RateLimiting;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Permits counted in this process: one sliding window from System.Threading.RateLimiting (four segments) per webhook and
/// rule, in one partitioned limiter, which also drops the windows of webhooks that have not sent for a while. Enough for
/// SQLite, whose database only one instance uses.
/// </summary>
/// <remarks>The limiters run on real time, not <see cref="TimeProvider"/>; tests use small windows or large ones, never timing.</remarks>
public sealed class MemoryRatePermits : IRatePermits, IDisposable
{
    private const int SegmentsPerWindow = 4;

    private readonly PartitionedRateLimiter<Permit> limiter = PartitionedRateLimiter.Create<Permit, Permit>(permit =>
        RateLimitPartition.GetSlidingWindowLimiter(permit, key => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = key.Permits,
            Window = key.Window,
            SegmentsPerWindow = SegmentsPerWindow,
            QueueLimit = 0,
        }));

    /// <inheritdoc />
    public ValueTask<TimeSpan?> TryTakeAsync(int webhookId, WebhookTarget target, int rule, RateLimitRule limit, CancellationToken cancellationToken)
    {
        using var lease = limiter.AttemptAcquire(new Permit(webhookId, target, rule, limit.Permits, limit.Window));
        return ValueTask.FromResult<TimeSpan?>(lease.IsAcquired
            ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : limit.Window / SegmentsPerWindow);
    }

    /// <inheritdoc />
    public void Dispose() => limiter.Dispose();

    // The partition key: the rule's limits are part of it, so a changed rule starts a window of its own.
    private sealed record Permit(int WebhookId, WebhookTarget Target, int Rule, int Permits, TimeSpan Window);
}
