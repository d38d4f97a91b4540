using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The retry schedule of DESIGN §4: 5 s … 10 h with ±20 % jitter, Retry-After on 429/503, then Failed.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RetryPolicyTests
{
    private static readonly DeliveryOptions Defaults = new() { RetrySchedule = [.. DeliveryOptions.DefaultRetrySchedule] };

    private static AttemptOutcome Failed(int? status, bool permanent = false, TimeSpan? retryAfter = null) =>
        new(status, false, permanent, null, "failed", TimeSpan.FromMilliseconds(10), retryAfter, RateLimited: status is 429 or 503);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(3, 1800)]
    [InlineData(4, 7200)]
    [InlineData(5, 18000)]
    [InlineData(6, 36000)]
    [InlineData(7, 36000)]
    public void Follows_the_schedule_with_jitter_of_twenty_percent_either_way(int attempt, int seconds)
    {
        var step = TimeSpan.FromSeconds(seconds);

        Assert.Equal(step * 0.8, RetryPolicy.NextDelay(Defaults, attempt, Failed(500), random: 0));
        Assert.Equal(step, RetryPolicy.NextDelay(Defaults, attempt, Failed(null), random: 0.5));
        Assert.Equal(step * 1.2, RetryPolicy.NextDelay(Defaults, attempt, Failed(500), random: 1));
    }

    [Fact]
    public void Gives_up_after_the_last_scheduled_retry()
    {
        Assert.Null(RetryPolicy.NextDelay(Defaults, 8, Failed(500), 0.5));
    }

    [Fact]
    public void Gives_up_at_once_on_a_permanent_failure()
    {
        Assert.Null(RetryPolicy.NextDelay(Defaults, 1, Failed(400, permanent: true), 0.5));
    }

    [Theory]
    [InlineData(429, 120, 120)]
    [InlineData(503, 10, 60)]
    [InlineData(429, 200_000, 86_400)]
    public void Honours_retry_after_between_a_minute_and_a_day(int status, int retryAfterSeconds, int expectedSeconds)
    {
        var delay = RetryPolicy.NextDelay(Defaults, 1, Failed(status, retryAfter: TimeSpan.FromSeconds(retryAfterSeconds)), 0.5);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public void Waits_at_least_a_minute_after_a_rate_limit_without_retry_after()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), RetryPolicy.NextDelay(Defaults, 1, Failed(429), 0.5));
        Assert.Equal(TimeSpan.FromMinutes(30), RetryPolicy.NextDelay(Defaults, 3, Failed(429), 0.5));
    }

    [Fact]
    public void Ignores_retry_after_when_not_rate_limited()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.NextDelay(Defaults, 1, Failed(500, retryAfter: TimeSpan.FromHours(1)), 0.5));
    }

    [Fact]
    public void Waits_the_platform_implied_time_after_a_rate_limit_code()
    {
        var dingTalkThrottled = new AttemptOutcome(200, false, false, null, "DingTalk errcode 130101", TimeSpan.Zero, TimeSpan.FromMinutes(10), RateLimited: true);

        Assert.Equal(TimeSpan.FromMinutes(10), RetryPolicy.NextDelay(Defaults, 1, dingTalkThrottled, 0.5));
    }
}
