using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Features.Webhooks;

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
    [InlineData("https://discord.com/channels/1", WebhookTarget.Generic)]
    [InlineData("https://prod-01.westus.logic.azure.com/workflows/x", WebhookTarget.Teams)]
    [InlineData("https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send", WebhookTarget.Generic)]
    [InlineData("not a url", WebhookTarget.Generic)]
    public void Detects_the_target_from_the_host(string url, WebhookTarget expected)
    {
        Assert.Equal(expected, WebhookTargets.Detect(url));
    }

    [Fact]
    public void A_bare_wecom_key_becomes_the_robot_url()
    {
        var url = WebhookTargets.NormalizeUrl("  693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa ".Replace("x", "0").Replace("si", "5b"));

        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7000-4bc4-97a0-0ec25bfa5aaa", url);
        Assert.Equal(WebhookTarget.WeCom, WebhookTargets.Detect(url));
    }

    [Theory]
    [InlineData(" https://example.com/hook ", "https://example.com/hook")]
    [InlineData("example.com", "example.com")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Anything_else_is_only_trimmed(string? input, string expected)
    {
        Assert.Equal(expected, WebhookTargets.NormalizeUrl(input));
    }

    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-secret", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=abc123&x=1", "https://oapi.dingtalk.com/robot/send?access_token=…&x=1")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c", "https://open.feishu.cn/open-apis/bot/v2/hook/…")]
    [InlineData("https://hooks.slack.com/services/T0001/B0001/XXXXsecret", "https://hooks.slack.com/services/T0001/B0001/…")]
    [InlineData("https://discord.com/api/webhooks/123456/tok-en_secret?wait=true", "https://discord.com/api/webhooks/123456/…?wait=true")]
    [InlineData("https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=s3cr3t", "https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?api-version=1&sig=…")]
    [InlineData("https://example.com/hook?user={{$$.Name$$}}", "https://example.com/hook?user={{$$.Name$$}}")]
    public void Masks_the_credentials_robot_urls_carry(string url, string expected)
    {
        Assert.Equal(expected, WebhookTargets.MaskUrl(url));
    }

    [Fact]
    public void Every_target_has_a_label()
    {
        Assert.Equal(
            ["Generic JSON", "WeCom", "DingTalk", "Feishu / Lark", "Slack", "Microsoft Teams", "Discord"],
            WebhookTargets.All.Select(t => t.Label()));
    }
}
