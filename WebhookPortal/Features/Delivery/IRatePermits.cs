namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Where <see cref="DeliveryRateLimiter"/> counts permits: in this process (<see cref="MemoryRatePermits"/>, SQLite's single
/// instance) or in the database (<see cref="DatabaseRatePermits"/>, every instance on one PostgreSQL database together).
/// </summary>
public interface IRatePermits
{
    /// <summary>
    /// Takes one permit of rule <paramref name="rule"/> (its position in the target's rules, at most
    /// <see cref="RateLimitRule.Permits"/> in any <see cref="RateLimitRule.Window"/>) for webhook <paramref name="webhookId"/>:
    /// null when taken, else how long to wait before asking again (positive).
    /// </summary>
    ValueTask<TimeSpan?> TryTakeAsync(int webhookId, WebhookTarget target, int rule, RateLimitRule limit, CancellationToken cancellationToken);
}
