namespace WebhookPortal.Tests.Features.Targets;

/// <summary>The registry's URL work: recognising a kind by host, completing a bare WeCom key, masking credentials.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WebhookTargetsTests
{
    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", WebhookTarget.WeCom)]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=t", WebhookTarget.DingTalk)]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/t", WebhookTarget.Feishu)]
    [InlineData("https://open.larksuite.com/open-apis/bot/v2/hook/t", WebhookTarget.Feishu)]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", WebhookTarget.Slack)]
    [InlineData("https://discord.com/api/webhooks/1/t", WebhookTarget.Discord)]
    [InlineData("https://discordapp.com/api/webhooks/1/t", WebhookTarget.Discord)]
    [InlineData("https://discord.com/channels/1", WebhookTarget.Generic)]
    [InlineData("https://prod-01.westus.logic.azure.com/workflows/x", WebhookTarget.Teams)]
    [InlineData("https://default0a1b.02.environment.api.powerplatform.com/powerautomate/x", WebhookTarget.Teams)]
    [InlineData("https://logic.azure.com/workflows/x", WebhookTarget.Generic)]
    [InlineData("https://QYAPI.WEIXIN.QQ.COM/cgi-bin/webhook/send?key=k", WebhookTarget.WeCom)]
    [InlineData("https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send", WebhookTarget.Generic)]
    [InlineData("http://127.0.0.1:5080/inbox/demo", WebhookTarget.Generic)]
    [InlineData("not a url", WebhookTarget.Generic)]
    [InlineData(null, WebhookTarget.Generic)]
    public void Detects_the_target_from_the_host(string? url, WebhookTarget expected)
    {
        Assert.Equal(expected, WebhookTargets.Detect(url));
    }

    [Fact]
    public void A_bare_wecom_key_becomes_the_robot_url()
    {
        var (url, completedBy) = WebhookTargets.CompleteUrl("  693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa ".Replace("x", "0").Replace("si", "5b"));

        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7000-4bc4-97a0-0ec25bfa5aaa", url);
        Assert.IsType<WeComTarget>(completedBy);
        Assert.Equal(WebhookTarget.WeCom, WebhookTargets.Detect(url));
    }

    [Theory]
    [InlineData(" https://example.com/hook ", "https://example.com/hook")]
    [InlineData("example.com", "example.com")]
    [InlineData("693a91f670004bc497a00ec25bfa5aaa", "693a91f670004bc497a00ec25bfa5aaa")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Anything_else_is_only_trimmed(string? input, string expected)
    {
        Assert.Equal((expected, null), WebhookTargets.CompleteUrl(input));
    }

    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-secret", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=abc123&x=1", "https://oapi.dingtalk.com/robot/send?access_token=…&x=1")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c", "https://open.feishu.cn/open-apis/bot/v2/hook/…")]
    [InlineData("https://hooks.slack.com/services/T0001/B0001/XXXXsecret", "https://hooks.slack.com/services/T0001/B0001/…")]
    [InlineData("https://discord.com/api/webhooks/123456/tok-en_secret?wait=true", "https://discord.com/api/webhooks/123456/…?wait=true")]
    [InlineData("https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=s3cr3t", "https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=…")]
    [InlineData("https://example.com/hook?user={{$$.Name$$}}", "https://example.com/hook?user={{$$.Name$$}}")]
    [InlineData("", "")]
    public void Masks_the_credentials_robot_urls_carry(string url, string expected)
    {
        Assert.Equal(expected, WebhookTargets.MaskUrl(url));
    }

    [Theory]
    [InlineData(WebhookTarget.Generic, "Generic JSON")]
    [InlineData(WebhookTarget.WeCom, "WeCom")]
    [InlineData(WebhookTarget.DingTalk, "DingTalk")]
    [InlineData(WebhookTarget.Feishu, "Feishu / Lark")]
    [InlineData(WebhookTarget.Slack, "Slack")]
    [InlineData(WebhookTarget.Teams, "Microsoft Teams")]
    [InlineData(WebhookTarget.Discord, "Discord")]
    public void Each_target_is_named_as_its_platform_names_itself(WebhookTarget target, string label)
    {
        Assert.Equal(label, target.Label());
    }

    [Fact]
    public void A_stored_number_no_kind_has_is_treated_as_generic()
    {
        var unknown = WebhookTargets.For((WebhookTarget)99);

        Assert.IsType<GenericTarget>(unknown);
        Assert.Equal("Generic JSON", ((WebhookTarget)99).Label());
    }
}
