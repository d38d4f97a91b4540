using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Features.Webhooks;

/// <summary>The one rule the Create Webhook dialog and the API share: URL completion, target detection and the preset body.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WebhookTargetRulesTests
{
    private const string Key = "0b0e4f1c-2a9d-4c3e-9f11-5d6b7a8c9e01";

    [Fact]
    public void A_bare_WeCom_key_is_completed_to_the_robot_url()
    {
        var model = new WebhookModel();

        var completedBy = WebhookTargetRules.SetUrl(model, "  " + Key + " ");

        Assert.Equal(WebhookTarget.WeCom, completedBy?.Target);
        Assert.Equal(WeComTarget.RobotUrl + Key, model.Url);
    }

    [Fact]
    public void Any_other_text_is_kept_as_typed()
    {
        var model = new WebhookModel();

        Assert.Null(WebhookTargetRules.SetUrl(model, "https://example.com/hook "));
        Assert.Equal("https://example.com/hook ", model.Url);
    }

    [Theory]
    [InlineData("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", "wecom-text")]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=T", "dingtalk-text")]
    [InlineData("https://open.feishu.cn/open-apis/bot/v2/hook/T", "feishu-text")]
    public void A_new_empty_body_becomes_the_detected_targets_first_preset(string url, string presetId)
    {
        var model = new WebhookModel { Url = url, Body = "" };

        var preset = WebhookTargetRules.FollowTarget(model, before: null);

        Assert.Equal(WebhookPresets.Find(presetId)!.Template, model.Body);
        Assert.Equal(presetId, preset?.Id);
        Assert.Equal(WebhookTargets.Detect(url), model.Target);
    }

    [Fact]
    public void A_written_body_is_kept_when_the_target_changes()
    {
        var model = new WebhookModel { Url = WeComTarget.RobotUrl + Key, Body = """{"mine":true}""" };

        Assert.Null(WebhookTargetRules.FollowTarget(model, WebhookTarget.Generic));
        Assert.Equal("""{"mine":true}""", model.Body);
    }

    [Fact]
    public void An_unedited_preset_follows_the_new_target()
    {
        var model = new WebhookModel { Url = "https://oapi.dingtalk.com/robot/send?access_token=T", Body = WebhookPresets.For(WebhookTarget.WeCom).Template };

        var preset = WebhookTargetRules.FollowTarget(model, WebhookTarget.WeCom);

        Assert.Equal(WebhookTarget.DingTalk, preset?.Target);
        Assert.Equal(WebhookPresets.For(WebhookTarget.DingTalk).Template, model.Body);
    }

    [Fact]
    public void An_empty_generic_body_stays_empty_and_a_bodiless_method_gets_none()
    {
        var generic = new WebhookModel { Url = "https://example.com/hook", Body = "" };
        var get = new WebhookModel { Url = WeComTarget.RobotUrl + Key, Method = "GET", Body = "" };

        Assert.Null(WebhookTargetRules.FollowTarget(generic, before: null));
        Assert.Null(WebhookTargetRules.FollowTarget(get, before: null));
        Assert.Equal("", generic.Body);
        Assert.Equal("", get.Body);
    }
}
