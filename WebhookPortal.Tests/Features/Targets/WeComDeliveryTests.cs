using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Targets;

/// <summary>A WeCom webhook whose robot answers HTTP 200 with an error code, through the real dispatcher and a loopback receiver.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class WeComDeliveryTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Marks_a_200_with_a_permanent_errcode_failed_at_once()
    {
        await UseWeComWebhookAsync();
        receiver.RespondWith(200, """{"errcode":93000,"errmsg":"invalid webhook url"}""");

        var delivery = await DeliverAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.AttemptCount);
        Assert.Equal(200, delivery.LastStatusCode);
        Assert.Equal("WeCom errcode 93000: invalid webhook url", delivery.LastError);
        Assert.False(Assert.Single(delivery.Attempts).Succeeded);
    }

    [Fact]
    public async Task Retries_a_200_with_the_rate_limit_errcode_after_at_least_a_minute()
    {
        await UseWeComWebhookAsync();
        receiver.RespondWith(200, """{"errcode":45009,"errmsg":"api freq out of limit"}""");

        var delivery = await DeliverAsync(d => d.AttemptCount >= 1);

        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal("WeCom errcode 45009: api freq out of limit", delivery.LastError);
        // The host's schedule says 0.5 s; a rate limit waits at least MinRetryAfter (60 s).
        Assert.Equal(TimeSpan.FromSeconds(60), delivery.NextAttemptAt - delivery.LastAttemptAt);
    }

    [Fact]
    public async Task Succeeds_on_errcode_zero()
    {
        await UseWeComWebhookAsync();
        receiver.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");

        var delivery = await DeliverAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
    }

    private async Task UseWeComWebhookAsync()
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/cgi-bin/webhook/send?key=test"), UserAction.Created);
        // A loopback URL is Generic by its host; the test stands in for qyapi.weixin.qq.com.
        await using var db = await factory.CreateDbContextAsync();
        await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Target, WebhookTarget.WeCom));
    }

    private async Task<WebhookPortal.Features.Delivery.Delivery> DeliverAsync(Func<WebhookPortal.Features.Delivery.Delivery, bool> done)
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("wecom")));
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        Assert.Equal(WebhookTarget.WeCom, delivery.Target);
        return await factory.WaitForDeliveryAsync(delivery.Id, done, "finished");
    }
}
