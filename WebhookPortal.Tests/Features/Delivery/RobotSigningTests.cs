using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>DingTalk and Feishu robot signatures against vectors computed outside .NET.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RobotSigningTests
{
    private const string Secret = "SECtest0123456789abcdef";

    // python3 -c "import hmac,hashlib,base64;s='SECtest0123456789abcdef';t='1700000000000';
    //   print(base64.b64encode(hmac.new(s.encode(),(t+'\n'+s).encode(),hashlib.sha256).digest()).decode())"
    private const string DingTalkVector = "/lfnxUUu80FwVTsIlv2F1cMGBb+PxEKAwYh/bsRxXcc=";
    // The same, URL-encoded with python3's urllib.parse.quote(sign, safe='').
    private const string DingTalkVectorEncoded = "%2FlfnxUUu80FwVTsIlv2F1cMGBb%2BPxEKAwYh%2FbsRxXcc%3D";

    // python3 -c "import hmac,hashlib,base64;s='SECtest0123456789abcdef';t='1700000000';
    //   print(base64.b64encode(hmac.new((t+'\n'+s).encode(),b'',hashlib.sha256).digest()).decode())"
    private const string FeishuVector = "R9sugg1yeI3YQr9rgdGGtTPc1xPgB+4G136nVzRFCNg=";

    [Fact]
    public void Dingtalk_signature_matches_an_independently_computed_vector()
    {
        Assert.Equal(DingTalkVector, RobotSigning.DingTalkSignature(Secret, 1_700_000_000_000));
    }

    [Fact]
    public void Dingtalk_appends_millisecond_timestamp_and_url_encoded_sign_to_the_query()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var signed = RobotSigning.SignDingTalkUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", Secret, now);

        Assert.Equal($"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={DingTalkVectorEncoded}", signed);
    }

    [Fact]
    public void Dingtalk_replaces_a_timestamp_and_sign_pasted_into_the_url()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var signed = RobotSigning.SignDingTalkUrl("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=old", Secret, now);

        Assert.Equal($"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={DingTalkVectorEncoded}", signed);
    }

    [Fact]
    public void Feishu_signature_matches_an_independently_computed_vector()
    {
        Assert.Equal(FeishuVector, RobotSigning.FeishuSignature(Secret, 1_700_000_000));
    }

    [Fact]
    public void Feishu_adds_timestamp_and_sign_as_top_level_strings_and_keeps_the_rest_byte_for_byte()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        const string body = """{"msg_type":"text","content":{"text":"张伟 🎉 \"hi\""},"sign":"stale"}""";

        var signed = RobotSigning.SignFeishuBody(body, Secret, now);

        Assert.Equal($$$"""{"timestamp":"1700000000","sign":"{{{FeishuVector}}}","msg_type":"text","content":{"text":"张伟 🎉 \"hi\""}}""", signed);
    }

    [Fact]
    public void Feishu_refuses_a_body_that_is_not_an_object()
    {
        Assert.Throws<FormatException>(() => RobotSigning.SignFeishuBody("[1]", Secret, DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData(WebhookTarget.Generic)]
    [InlineData(WebhookTarget.WeCom)]
    [InlineData(WebhookTarget.Slack)]
    public void Leaves_other_targets_unsigned(WebhookTarget target)
    {
        Assert.Equal(("https://x.test/?a=1", "{}"), RobotSigning.Apply(target, Secret, "https://x.test/?a=1", "{}", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Leaves_a_robot_without_a_secret_unsigned()
    {
        Assert.Equal(("https://x.test/?a=1", "{}"), RobotSigning.Apply(WebhookTarget.DingTalk, null, "https://x.test/?a=1", "{}", DateTimeOffset.UnixEpoch));
    }
}

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

    // Computed here from the platforms' descriptions, not with RobotSigning.
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
