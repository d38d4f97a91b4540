using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// What <see cref="DatabaseRatePermits"/> does on either database: three permits a minute, counted in half-minute segments,
/// on a fake clock (windows from <see cref="TimeProvider"/>, so no test waits for real time).
/// </summary>
public abstract class DatabaseRatePermitsContract
{
    // The start of a minute, so the segments begin on it.
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly RateLimitRule ThreeAMinute = new(3, TimeSpan.FromMinutes(1));

    private readonly FakeTimeProvider time = new(Start);

    /// <summary>The host whose database the permits are counted in.</summary>
    protected abstract PortalFactory Host { get; }

    [Fact]
    public async Task Gives_the_permits_of_a_window_then_refuses_until_the_segment_that_holds_them_has_passed()
    {
        var (permits, webhookId) = (Permits(), NewWebhookId());

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await permits.TryTakeAsync(webhookId, WebhookTarget.WeCom, 0, ThreeAMinute, default));
            time.Advance(TimeSpan.FromSeconds(10));
        }

        // Taken at 0, 10 and 20 s, all in the first segment: counted until three segments (90 s) have begun after it.
        var wait = await permits.TryTakeAsync(webhookId, WebhookTarget.WeCom, 0, ThreeAMinute, default);
        Assert.Equal(TimeSpan.FromSeconds(60), wait);
        time.Advance(wait!.Value - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await permits.TryTakeAsync(webhookId, WebhookTarget.WeCom, 0, ThreeAMinute, default));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await permits.TryTakeAsync(webhookId, WebhookTarget.WeCom, 0, ThreeAMinute, default));
    }

    [Fact]
    public async Task Never_gives_more_than_the_limit_in_any_window_whatever_the_moment_of_asking()
    {
        var (permits, webhookId) = (Permits(), NewWebhookId());
        var given = new List<DateTimeOffset>();

        // Asking every 7 s for 10 minutes: any 60 s span holds at most three permits.
        for (var i = 0; i < 86; i++)
        {
            if (await permits.TryTakeAsync(webhookId, WebhookTarget.WeCom, 0, ThreeAMinute, default) is null)
            {
                given.Add(time.GetUtcNow());
            }

            time.Advance(TimeSpan.FromSeconds(7));
        }

        Assert.All(given, t => Assert.InRange(given.Count(u => u >= t && u < t + ThreeAMinute.Window), 1, 3));
        // Still most of the limit: at least three every 90 s.
        Assert.InRange(given.Count, 3 * 600 / 90, 3 * 600 / 60 + 3);
    }

    [Fact]
    public async Task Counts_each_webhook_and_each_rule_apart()
    {
        var (permits, webhookId, other) = (Permits(), NewWebhookId(), NewWebhookId());
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await permits.TryTakeAsync(webhookId, WebhookTarget.Feishu, 0, ThreeAMinute, default));
        }

        Assert.NotNull(await permits.TryTakeAsync(webhookId, WebhookTarget.Feishu, 0, ThreeAMinute, default));
        Assert.Null(await permits.TryTakeAsync(webhookId, WebhookTarget.Feishu, 1, ThreeAMinute, default));
        Assert.Null(await permits.TryTakeAsync(other, WebhookTarget.Feishu, 0, ThreeAMinute, default));
    }

    [Fact]
    public async Task Permits_asked_for_at_once_are_given_no_more_than_the_limit()
    {
        var (permits, webhookId) = (Permits(), NewWebhookId());
        var rule = new RateLimitRule(5, TimeSpan.FromHours(1));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () => await permits.TryTakeAsync(webhookId, WebhookTarget.WeCom, 0, rule, default))));

        Assert.Equal(5, answers.Count(a => a is null));
        Assert.All(answers.Where(a => a is not null), a => Assert.InRange(a!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(90)));
    }

    [Fact]
    public async Task The_daily_purge_removes_the_permits_that_count_nothing_any_more()
    {
        var (permits, webhookId, recent) = (Permits(), NewWebhookId(), NewWebhookId());
        Assert.Null(await permits.TryTakeAsync(webhookId, WebhookTarget.WeCom, 0, ThreeAMinute, default));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await permits.TryTakeAsync(recent, WebhookTarget.WeCom, 0, ThreeAMinute, default));

        await Host.Services.GetRequiredService<DeliveryRetention>().PurgeAsync(time.GetUtcNow().UtcDateTime);

        await using var db = await Host.CreateDbContextAsync();
        Assert.Equal([recent], await db.RatePermits.Where(p => p.WebhookId == webhookId || p.WebhookId == recent).Select(p => p.WebhookId).ToListAsync());
    }

    private DatabaseRatePermits Permits() => new(Host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), time);

    // Rows need no webhook (no foreign key): ids far above the host's own keep the tests apart.
    private static int NewWebhookId() => Random.Shared.Next(1_000_000, int.MaxValue);
}
