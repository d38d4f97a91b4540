using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Targets;

/// <summary>Signed robots over real HTTP: a fresh signature on every attempt, the stored request untouched.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class RobotSignedDeliveryTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Secret = "SEC0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Dingtalk_signs_each_attempt_afresh_and_never_changes_the_stored_url()
    {
        var url = receiver.Url("/robot/send?access_token=tok");
        await UseRobotAsync(url, WebhookTarget.DingTalk);
        var answers = 0;
        // The first answer is DingTalk's "system busy" (retried), the second a success.
        receiver.RespondWith(_ => new ReceiverResponse(200, Interlocked.Increment(ref answers) == 1 ? """{"errcode":-1,"errmsg":"busy"}""" : """{"errcode":0,"errmsg":"ok"}"""));

        var delivery = await DeliverAsync();

        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(2, delivery.AttemptCount);
        Assert.Equal(url, delivery.Url);
        var requests = receiver.RequestsTo("/robot/send");
        Assert.Equal(2, requests.Count);
        var timestamps = requests.Select(r =>
        {
            var query = Query(r.Target);
            Assert.Equal("tok", query["access_token"]);
            var timestamp = query["timestamp"];
            Assert.Equal(ExpectedDingTalkSign(timestamp), Uri.UnescapeDataString(query["sign"]));
            return long.Parse(timestamp, CultureInfo.InvariantCulture);
        }).ToList();
        Assert.NotEqual(timestamps[0], timestamps[1]);
        // Milliseconds: thirteen digits, near the receiver's own clock.
        Assert.All(timestamps, t => Assert.InRange(t, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task Feishu_signs_into_the_body_sent_and_never_changes_the_stored_body()
    {
        await UseRobotAsync(receiver.Url("/open-apis/bot/v2/hook/tok"), WebhookTarget.Feishu,
            """{"msg_type":"text","content":{"text":"{{$$.FirstName$$}} joined"}}""");
        receiver.RespondWith(200, """{"code":0,"msg":"success"}""");

        var delivery = await DeliverAsync();

        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.DoesNotContain("sign", delivery.Body);
        var request = Assert.Single(receiver.RequestsTo("/open-apis/bot/v2/hook/tok"));
        using var json = JsonDocument.Parse(request.Body);
        var timestamp = json.RootElement.GetProperty("timestamp").GetString()!;
        Assert.Equal(ExpectedFeishuSign(timestamp), json.RootElement.GetProperty("sign").GetString());
        Assert.Equal("张伟 \"Wei\" joined", json.RootElement.GetProperty("content").GetProperty("text").GetString());
        // Exactly the stored body with the two members in front.
        Assert.Equal($"{{\"timestamp\":\"{timestamp}\",\"sign\":\"{ExpectedFeishuSign(timestamp)}\"," + delivery.Body![1..], request.Body);
    }

    // Computed here from the platforms' descriptions, not with DingTalkTarget or FeishuTarget.
    private static string ExpectedDingTalkSign(string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + "\n" + Secret)));

    private static string ExpectedFeishuSign(string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(timestamp + "\n" + Secret), Array.Empty<byte>()));

    private static Dictionary<string, string> Query(string target) =>
        target[(target.IndexOf('?') + 1)..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private async Task UseRobotAsync(string url, WebhookTarget target, string body = "")
    {
        var webhook = await factory.UseOnlyWebhookAsync(url, UserAction.Created, body: body);
        await using var db = await factory.CreateDbContextAsync();
        await db.Webhooks.Where(w => w.Id == webhook.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Target, target).SetProperty(w => w.RobotSecret, Secret));
    }

    private async Task<WebhookPortal.Features.Delivery.Delivery> DeliverAsync()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("robot")));
        var queued = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        return await factory.WaitForDeliveryAsync(queued.Id, d => d.Status != DeliveryStatus.Pending, "finished");
    }
}
