using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>Each target's success rule (shared/reference/targets.md): an error code in a 200 answer is a failure.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class TargetRulesTests
{
    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", WebhookTarget.WeCom)]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=abc", WebhookTarget.DingTalk)]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/abc", WebhookTarget.Feishu)]
    [InlineData("https://open.larksuite.com/open-apis/bot/v2/hook/abc", WebhookTarget.Feishu)]
    [InlineData("https://hooks.slack.com/services/T/B/X", WebhookTarget.Slack)]
    [InlineData("https://discord.com/api/webhooks/1/abc", WebhookTarget.Discord)]
    [InlineData("https://prod-01.westus.logic.azure.com/workflows/abc", WebhookTarget.Teams)]
    [InlineData("https://discord.com/channels/1", WebhookTarget.Generic)]
    [InlineData("https://qyapi.weixin.qq.com.evil.example/x", WebhookTarget.Generic)]
    [InlineData("http://127.0.0.1:5080/inbox/demo", WebhookTarget.Generic)]
    [InlineData("not a url", WebhookTarget.Generic)]
    public void Detects_the_target_from_the_host(string url, WebhookTarget expected)
    {
        Assert.Equal(expected, WebhookTargets.Detect(url));
    }

    [Theory]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":0,"errmsg":"ok"}""", true, false, false)]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":93000,"errmsg":"invalid webhook url"}""", false, true, false)]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":45009,"errmsg":"api freq out of limit"}""", false, false, true)]
    [InlineData(WebhookTarget.WeCom, 200, """{"errcode":-1,"errmsg":"system busy"}""", false, false, false)]
    [InlineData(WebhookTarget.WeCom, 200, "<html>proxy page</html>", false, false, false)]
    [InlineData(WebhookTarget.DingTalk, 200, """{"errcode":310000,"errmsg":"keywords not in content"}""", false, true, false)]
    [InlineData(WebhookTarget.DingTalk, 200, """{"errcode":130101,"errmsg":"send too fast"}""", false, false, true)]
    [InlineData(WebhookTarget.Feishu, 200, """{"code":0,"msg":"success"}""", true, false, false)]
    [InlineData(WebhookTarget.Feishu, 200, """{"code":19021,"msg":"sign match fail"}""", false, true, false)]
    [InlineData(WebhookTarget.Feishu, 400, """{"code":9499,"msg":"too many request"}""", false, false, true)]
    [InlineData(WebhookTarget.Slack, 200, "ok", true, false, false)]
    [InlineData(WebhookTarget.Slack, 200, "no_text", false, true, false)]
    public void Judges_the_body_of_an_answer_by_the_target(
        WebhookTarget target, int status, string body, bool succeeded, bool permanent, bool rateLimited)
    {
        var verdict = TargetRules.Judge(target, status, body);

        Assert.NotNull(verdict);
        Assert.Equal((succeeded, permanent, rateLimited), (verdict.Succeeded, verdict.Permanent, verdict.RateLimited));
        Assert.Equal(succeeded, verdict.Error is null);
    }

    [Theory]
    [InlineData(WebhookTarget.Generic, 200)]
    [InlineData(WebhookTarget.WeCom, 500)]
    [InlineData(WebhookTarget.Teams, 202)]
    [InlineData(WebhookTarget.Discord, 204)]
    public void Leaves_the_status_to_decide_where_the_target_has_no_body_rule(WebhookTarget target, int status)
    {
        Assert.Null(TargetRules.Judge(target, status, """{"errcode":93000}"""));
    }

    [Fact]
    public void Waits_ten_minutes_after_dingtalk_throttles()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), TargetRules.Judge(WebhookTarget.DingTalk, 200, """{"errcode":130101}""")!.RetryAfter);
    }
}

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
