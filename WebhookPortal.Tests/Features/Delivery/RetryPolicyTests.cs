using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The retry schedule of DESIGN §4: 5 s … 10 h with ±20 % jitter, Retry-After on 429/503, then Failed.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RetryPolicyTests
{
    private static readonly DeliveryOptions Defaults = new() { RetrySchedule = [.. DeliveryOptions.DefaultRetrySchedule] };

    private static readonly TimeSpan Took = TimeSpan.FromMilliseconds(10);

    private static AttemptOutcome Failed(int? status) => AttemptOutcome.RetryableFailure("failed", Took, status);

    private static AttemptOutcome Throttled(int status, TimeSpan? retryAfter = null) => AttemptOutcome.Throttled("failed", Took, status, null, retryAfter);

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
        Assert.Null(RetryPolicy.NextDelay(Defaults, 1, AttemptOutcome.PermanentFailure("failed", Took, 400), 0.5));
    }

    [Theory]
    [InlineData(429, 120, 120)]
    [InlineData(503, 10, 60)]
    [InlineData(429, 200_000, 86_400)]
    public void Honours_retry_after_between_a_minute_and_a_day(int status, int retryAfterSeconds, int expectedSeconds)
    {
        var delay = RetryPolicy.NextDelay(Defaults, 1, Throttled(status, TimeSpan.FromSeconds(retryAfterSeconds)), 0.5);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public void Waits_at_least_a_minute_after_a_rate_limit_without_retry_after()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), RetryPolicy.NextDelay(Defaults, 1, Throttled(429), 0.5));
        Assert.Equal(TimeSpan.FromMinutes(30), RetryPolicy.NextDelay(Defaults, 3, Throttled(429), 0.5));
    }

    [Fact]
    public void A_failure_that_is_not_a_rate_limit_carries_no_retry_after_and_follows_the_schedule()
    {
        var failed = Failed(500);

        Assert.Null(failed.RetryAfter);
        Assert.False(failed.RateLimited);
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.NextDelay(Defaults, 1, failed, 0.5));
    }

    [Fact]
    public void Waits_the_platform_implied_time_after_a_rate_limit_code()
    {
        var dingTalkThrottled = AttemptOutcome.Judged(
            WebhookTargets.For(WebhookTarget.DingTalk).Judge(200, """{"errcode":130101,"errmsg":"send too fast"}""")!, 200, null, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromMinutes(10), RetryPolicy.NextDelay(Defaults, 1, dingTalkThrottled, 0.5));
    }
}
