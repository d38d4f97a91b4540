using Microsoft.Extensions.Options;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The per-robot rate limits of <see cref="DeliveryOptions.RateLimits"/>, each counted per webhook by <see cref="IRatePermits"/>:
/// in this process on SQLite (<see cref="MemoryRatePermits"/>), in the database on PostgreSQL (<see cref="DatabaseRatePermits"/>),
/// so that WeCom's 20 a minute holds for all instances together. The robots' own limits (WeCom 45009, DingTalk 130101,
/// Feishu 11232) still back them up.
/// </summary>
public sealed class DeliveryRateLimiter(IOptions<DeliveryOptions> options, IRatePermits permits, ILogger<DeliveryRateLimiter> logger)
{
    private readonly Dictionary<WebhookTarget, RateLimitRule[]> rules =
        options.Value.RateLimits.ToDictionary(p => p.Key, p => p.Value.Where(r => r.Permits > 0).ToArray());

    /// <summary>How long a delivery waits when its permits could not be counted.</summary>
    public static readonly TimeSpan UncountedWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Takes a permit for one attempt of <paramref name="delivery"/>: null when it may be sent now, else how long it should
    /// wait before asking again. A delivery without a webhook (its webhook deleted) or of an unlimited target always may.
    /// When the permits cannot be counted (the database is unreachable) it waits <see cref="UncountedWait"/>.
    /// </summary>
    public async ValueTask<TimeSpan?> TryAcquireAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.WebhookId is not { } webhookId || !rules.TryGetValue(delivery.Target, out var targetRules))
        {
            return null;
        }

        for (var i = 0; i < targetRules.Length; i++)
        {
            // A permit an earlier rule granted stays spent: the limits err on the side of sending later.
            try
            {
                if (await permits.TryTakeAsync(webhookId, delivery.Target, i, targetRules[i], cancellationToken) is { } wait)
                {
                    return wait;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Sending uncounted could break the robot's limit for every instance; the delivery waits instead.
                logger.LogError(ex, "Counting rate-limit permits of webhook {WebhookId} failed; the delivery waits {Wait}", webhookId, UncountedWait);
                return UncountedWait;
            }
        }

        return null;
    }
}
