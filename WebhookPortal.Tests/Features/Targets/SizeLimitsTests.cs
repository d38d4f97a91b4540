namespace WebhookPortal.Tests.Features.Targets;

/// <summary>The size limits, counted in UTF-8 bytes as the platforms count them.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SizeLimitsTests
{
    [Fact]
    public void Wecom_measures_text_content_against_2048_and_markdown_against_4096_bytes()
    {
        var weCom = WebhookTargets.For(WebhookTarget.WeCom);

        Assert.Equal(new SizeCheck("WeCom text content", 6, 2048, "bytes"), weCom.CheckSize("""{"msgtype":"text","text":{"content":"张伟"}}"""));
        Assert.Equal(new SizeCheck("WeCom markdown content", 1, 4096, "bytes"), weCom.CheckSize("""{"msgtype":"markdown","markdown":{"content":"x"}}"""));
        Assert.Equal(new SizeCheck("WeCom markdown_v2 content", 1, 4096, "bytes"), weCom.CheckSize("""{"msgtype":"markdown_v2","markdown_v2":{"content":"x"}}"""));
    }

    [Theory]
    [InlineData("""{"msgtype":"image","image":{}}""")]
    [InlineData("""{"msgtype":"text","text":{}}""")]
    [InlineData("""{"msgtype":"text"}""")]
    [InlineData("""{"text":{"content":"x"}}""")]
    [InlineData("[1]")]
    [InlineData("not json")]
    public void Wecom_measures_nothing_it_has_no_documented_limit_for(string body)
    {
        Assert.Null(WebhookTargets.For(WebhookTarget.WeCom).CheckSize(body));
    }

    [Fact]
    public void Dingtalk_and_feishu_measure_the_whole_body()
    {
        Assert.Equal(new SizeCheck("DingTalk message", 2, 20000, "bytes"), WebhookTargets.For(WebhookTarget.DingTalk).CheckSize("{}"));
        Assert.Equal(new SizeCheck("Feishu message", 5, 20480, "bytes"), WebhookTargets.For(WebhookTarget.Feishu).CheckSize("\"伟\""));
        Assert.True(WebhookTargets.For(WebhookTarget.DingTalk).CheckSize(new string('伟', 6667))!.Over);
        Assert.False(WebhookTargets.For(WebhookTarget.DingTalk).CheckSize(new string('伟', 6666))!.Over);
    }

    [Theory]
    [InlineData(WebhookTarget.Generic)]
    [InlineData(WebhookTarget.Slack)]
    [InlineData(WebhookTarget.Teams)]
    [InlineData(WebhookTarget.Discord)]
    public void Kinds_without_a_documented_limit_measure_nothing(WebhookTarget target)
    {
        Assert.Null(WebhookTargets.For(target).CheckSize(new string('x', 100_000)));
        Assert.Empty(WebhookTargets.For(target).SizeLimits);
    }
}
