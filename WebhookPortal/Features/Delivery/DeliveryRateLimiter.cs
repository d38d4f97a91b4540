using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The per-robot rate limits of <see cref="DeliveryOptions.RateLimits"/>: sliding windows from
/// System.Threading.RateLimiting, one set per webhook. Held in memory, so each process counts its own sends; the robots'
/// own limits (WeCom 45009, DingTalk 130101, Feishu 11232) still back them up when several processes share a queue.
/// </summary>
/// <remarks>The limiters run on real time, not <see cref="TimeProvider"/>; tests use small windows or large ones, never timing.</remarks>
public sealed class DeliveryRateLimiter : IDisposable
{
    private const int SegmentsPerWindow = 4;

    private readonly IReadOnlyDictionary<WebhookTarget, RateLimitRule[]> rules;
    // One partitioned limiter per rule position: Feishu's second rule (100 a minute) lives in the second.
    private readonly PartitionedRateLimiter<Delivery>[] limiters;

    public DeliveryRateLimiter(IOptions<DeliveryOptions> options)
    {
        rules = options.Value.RateLimits.ToDictionary(p => p.Key, p => p.Value.Where(r => r.Permits > 0).ToArray());
        var depth = rules.Values.Select(r => r.Length).DefaultIfEmpty(0).Max();
        limiters = [.. Enumerable.Range(0, depth).Select(Create)];
    }

    /// <summary>
    /// Takes a permit for one attempt of <paramref name="delivery"/>: null when it may be sent now, else how long it should
    /// wait before asking again. A delivery without a webhook (its webhook deleted) or of an unlimited target always may.
    /// </summary>
    public TimeSpan? TryAcquire(Delivery delivery)
    {
        if (delivery.WebhookId is null || !rules.TryGetValue(delivery.Target, out var targetRules))
        {
            return null;
        }

        for (var i = 0; i < targetRules.Length; i++)
        {
            // A permit an earlier window granted stays spent: the limits err on the side of sending later.
            using var lease = limiters[i].AttemptAcquire(delivery);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
                    ? retryAfter
                    : targetRules[i].Window / SegmentsPerWindow;
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var limiter in limiters)
        {
            limiter.Dispose();
        }
    }

    private PartitionedRateLimiter<Delivery> Create(int position) =>
        PartitionedRateLimiter.Create<Delivery, (int WebhookId, WebhookTarget Target)>(delivery =>
        {
            var key = (delivery.WebhookId ?? 0, delivery.Target);
            if (!rules.TryGetValue(delivery.Target, out var targetRules) || targetRules.Length <= position)
            {
                return RateLimitPartition.GetNoLimiter(key);
            }

            var rule = targetRules[position];
            return RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = rule.Permits,
                Window = rule.Window,
                SegmentsPerWindow = SegmentsPerWindow,
                QueueLimit = 0,
            });
        });
}
