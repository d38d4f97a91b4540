namespace WebhookPortal.Tests.Features.Targets;

/// <summary>DingTalk and Feishu robot signatures against vectors computed outside .NET, and where each kind puts them.</summary>
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
        Assert.Equal(DingTalkVector, DingTalkTarget.Signature(Secret, 1_700_000_000_000));
    }

    [Fact]
    public void Dingtalk_appends_millisecond_timestamp_and_url_encoded_sign_to_the_query()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var signed = DingTalkTarget.SignUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", Secret, now);

        Assert.Equal($"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={DingTalkVectorEncoded}", signed);
    }

    [Fact]
    public void Dingtalk_replaces_a_timestamp_and_sign_pasted_into_the_url()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        var signed = DingTalkTarget.SignUrl("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=old", Secret, now);

        Assert.Equal($"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={DingTalkVectorEncoded}", signed);
    }

    [Fact]
    public void Feishu_signature_matches_an_independently_computed_vector()
    {
        Assert.Equal(FeishuVector, FeishuTarget.Signature(Secret, 1_700_000_000));
    }

    [Fact]
    public void Feishu_adds_timestamp_and_sign_as_top_level_strings_and_keeps_the_rest_byte_for_byte()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        const string body = """{"msg_type":"text","content":{"text":"张伟 🎉 \"hi\""},"sign":"stale"}""";

        var signed = FeishuTarget.SignBody(body, Secret, now);

        Assert.Equal($$$"""{"timestamp":"1700000000","sign":"{{{FeishuVector}}}","msg_type":"text","content":{"text":"张伟 🎉 \"hi\""}}""", signed);
    }

    [Fact]
    public void Feishu_refuses_a_body_that_is_not_an_object()
    {
        Assert.Throws<FormatException>(() => FeishuTarget.SignBody("[1]", Secret, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Each_kind_signs_where_its_platform_reads_the_signature()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

        Assert.Equal(($"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={DingTalkVectorEncoded}", "{}"),
            WebhookTargets.For(WebhookTarget.DingTalk).Sign(Secret, "https://oapi.dingtalk.com/robot/send?access_token=abc", "{}", now));
        Assert.Equal(("https://open.feishu.cn/open-apis/bot/v2/hook/t", $$$"""{"timestamp":"1700000000","sign":"{{{FeishuVector}}}"}"""),
            WebhookTargets.For(WebhookTarget.Feishu).Sign(Secret, "https://open.feishu.cn/open-apis/bot/v2/hook/t", null, now));
    }

    [Fact]
    public void Only_the_signing_kinds_take_a_robot_secret()
    {
        Assert.Equal(
            [WebhookTarget.DingTalk, WebhookTarget.Feishu],
            WebhookTargets.All.Where(d => d.UsesRobotSecret).Select(d => d.Target));
    }

    [Fact]
    public void The_preview_shows_where_the_signature_goes_with_its_value_masked()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var dingTalk = WebhookTargets.For(WebhookTarget.DingTalk);
        var feishu = WebhookTargets.For(WebhookTarget.Feishu);

        Assert.Equal("https://x.test/r?a=1&timestamp=1700000000000&sign=•", dingTalk.PreviewSignedUrl("https://x.test/r?a=1", at, "•"));
        Assert.Equal("https://x.test/r?timestamp=1700000000000&sign=•", dingTalk.PreviewSignedUrl("https://x.test/r", at, "•"));
        Assert.Equal("", dingTalk.PreviewSignedUrl("", at, "•"));
        Assert.Equal("""{"timestamp":"1700000000","sign":"•","a":1}""", feishu.PreviewSignedBody("""{"a":1}""", at, "•"));
        Assert.Equal("""{"timestamp":"1700000000","sign":"•"}""", feishu.PreviewSignedBody("{}", at, "•"));
        Assert.Equal("[1]", feishu.PreviewSignedBody("[1]", at, "•"));
        Assert.Equal("""{"a":1}""", dingTalk.PreviewSignedBody("""{"a":1}""", at, "•"));
        Assert.Equal("https://x.test/r", feishu.PreviewSignedUrl("https://x.test/r", at, "•"));
    }

    [Theory]
    [InlineData(WebhookTarget.Generic)]
    [InlineData(WebhookTarget.WeCom)]
    [InlineData(WebhookTarget.Slack)]
    public void Leaves_other_targets_unsigned(WebhookTarget target)
    {
        Assert.Equal(("https://x.test/?a=1", "{}"), WebhookTargets.For(target).Sign(Secret, "https://x.test/?a=1", "{}", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Leaves_a_robot_without_a_secret_unsigned()
    {
        Assert.Equal(("https://x.test/?a=1", "{}"), WebhookTargets.For(WebhookTarget.DingTalk).Sign(null, "https://x.test/?a=1", "{}", DateTimeOffset.UnixEpoch));
    }
}
