namespace WebhookPortal.Features.Delivery;

/// <summary>When a failed delivery is tried again: the durable schedule with jitter, or the receiver's Retry-After.</summary>
public static class RetryPolicy
{
    /// <summary>
    /// The wait before the next attempt after failed attempt number <paramref name="attempt"/> (1-based), or null when the
    /// delivery is to be marked Failed: the outcome is permanent, or the schedule has run out.
    /// </summary>
    /// <param name="random">A number in [0, 1) that places the wait within ± <see cref="DeliveryOptions.RetryJitter"/>.</param>
    /// <remarks>
    /// A rate-limited answer (429, 503, a platform's rate-limit code) waits for its <c>Retry-After</c> (RFC 9110 §10.2.3) when given, and for at least
    /// <see cref="DeliveryOptions.MinRetryAfter"/> either way, capped at <see cref="DeliveryOptions.MaxRetryAfter"/>; the
    /// attempt still counts toward the schedule, so a receiver that keeps refusing cannot hold a delivery forever.
    /// </remarks>
    public static TimeSpan? NextDelay(DeliveryOptions options, int attempt, AttemptOutcome outcome, double random)
    {
        if (outcome.Succeeded || outcome.Permanent || attempt > options.RetrySchedule.Length)
        {
            return null;
        }

        var scheduled = options.RetrySchedule[attempt - 1] * (1 + options.RetryJitter * (2 * random - 1));
        if (outcome.RateLimited)
        {
            var asked = outcome.RetryAfter ?? scheduled;
            return TimeSpan.FromTicks(Math.Clamp(asked.Ticks, options.MinRetryAfter.Ticks, Math.Max(options.MinRetryAfter.Ticks, options.MaxRetryAfter.Ticks)));
        }

        return scheduled;
    }
}
