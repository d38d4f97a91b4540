using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Permits counted in this process: one sliding window from System.Threading.RateLimiting (four segments) per webhook and
/// rule. Enough for SQLite, whose database only one instance uses.
/// </summary>
/// <remarks>The limiters run on real time, not <see cref="TimeProvider"/>; tests use small windows or large ones, never timing.</remarks>
public sealed class MemoryRatePermits : IRatePermits, IDisposable
{
    private const int SegmentsPerWindow = 4;

    private readonly ConcurrentDictionary<(int WebhookId, WebhookTarget Target, int Rule), SlidingWindowRateLimiter> limiters = new();

    /// <inheritdoc />
    public ValueTask<TimeSpan?> TryTakeAsync(int webhookId, WebhookTarget target, int rule, RateLimitRule limit, CancellationToken cancellationToken)
    {
        var limiter = limiters.GetOrAdd((webhookId, target, rule), _ => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = limit.Permits,
            Window = limit.Window,
            SegmentsPerWindow = SegmentsPerWindow,
            QueueLimit = 0,
        }));
        using var lease = limiter.AttemptAcquire();
        return ValueTask.FromResult<TimeSpan?>(lease.IsAcquired
            ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : limit.Window / SegmentsPerWindow);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
