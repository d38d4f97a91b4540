using System.Text;
using System.Text.Json;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Features.Webhooks;

[Trait("Category", TestCategories.Unit)]
public sealed class WebhookPreviewTests
{
    private const string WeComUrl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k";

    [Fact]
    public void Renders_the_client_id_it_is_given_and_the_sample_one_only_without()
    {
        var model = new WebhookModel { Name = "Alerts", Url = "https://example.com/hook?c={{$$.ClientID$$}}", Body = """{"client":"{{$$.ClientID$$}}"}""" };

        var own = WebhookPreview.Build(model, UserAction.Created, "crm-bridge");
        var unsaved = WebhookPreview.Build(model, UserAction.Created);

        Assert.Equal("https://example.com/hook?c=crm-bridge", own.Url);
        Assert.Contains("\"crm-bridge\"", own.Body);
        Assert.Equal("https://example.com/hook?c=" + TemplateSamples.ClientId, unsaved.Url);
    }

    [Fact]
    public void Shows_the_full_request_for_the_sample_user()
    {
        var model = new WebhookModel
        {
            Name = "Alerts",
            Url = "https://example.com/hook?user={{$$.Name$$}}&who={{$$.LastName$$}}",
            Headers = [new("X-Trace", "id-{{$$.ID$$}}"), new("Authorization", "Bearer t0k3n", Secret: true)],
        };

        var preview = WebhookPreview.Build(model, UserAction.LoggedIn);

        Assert.Empty(preview.Errors);
        Assert.Equal("POST", preview.Method);
        Assert.Equal("https://example.com/hook?user=zhangwei&who=%E5%BC%A0", preview.Url);
        Assert.Contains(new WebhookHeader("X-Trace", "id-3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13"), preview.Headers);
        Assert.Contains(new WebhookHeader("Authorization", WebhookPreview.Masked, true), preview.Headers);
        Assert.DoesNotContain(preview.Headers, h => h.Value.Contains("t0k3n", StringComparison.Ordinal));
        Assert.Contains(preview.Headers, h => h is { Name: "X-Webhook-Event", Value: "user.login" });
        Assert.Contains(preview.Headers, h => h.Name == "webhook-id");
        Assert.DoesNotContain(preview.Headers, h => h.Name == "webhook-signature");
        using var body = JsonDocument.Parse(preview.Body!);
        Assert.Equal("zhangwei", body.RootElement.GetProperty("username").GetString());
        Assert.Contains("\n", preview.Body);
        Assert.Contains("张", preview.Body);
        Assert.Equal(Encoding.UTF8.GetByteCount(TemplateRenderer.RenderBody(model.Body, TemplateValues.For(TemplateSamples.Friendly(UserAction.LoggedIn), TemplateSamples.ClientId, "Alerts"))), preview.BodyBytes);
    }

    [Fact]
    public void Get_has_no_body_and_no_content_type()
    {
        var preview = WebhookPreview.Build(new WebhookModel { Name = "n", Url = "https://example.com/h", Method = "GET" }, UserAction.Created);

        Assert.Null(preview.Body);
        Assert.Equal(0, preview.BodyBytes);
        Assert.DoesNotContain(preview.Headers, h => h.Name == "Content-Type");
    }

    [Fact]
    public void Errors_are_in_the_ui_language_including_a_common_json_mistake() => InCulture("zh-CN", () =>
    {
        var preview = WebhookPreview.Build(new WebhookModel { Name = "n", Url = "https://example.com/{{$$.Nmae$$}}", Body = "{ \"a\": }" }, UserAction.Created);

        Assert.Contains(preview.Errors, e => e.StartsWith("URL：", StringComparison.Ordinal));
        Assert.Contains("消息体不是有效的 JSON：'}' 不能作为值的开头：缺少一个值，或有字符位置不对。", preview.Errors);
    });

    [Fact]
    public void Errors_say_what_could_not_render_and_never_throw()
    {
        var preview = WebhookPreview.Build(new WebhookModel { Name = "n", Url = "https://example.com/{{$$.Nmae$$}}", Body = "{\"a\": {{$$.Name$$}" }, UserAction.Created);

        Assert.Contains(preview.Errors, e => e.StartsWith("URL:", StringComparison.Ordinal) && e.Contains("Nmae", StringComparison.Ordinal));
        Assert.Contains(preview.Errors, e => e.StartsWith("Message Body:", StringComparison.Ordinal));
    }

    [Fact]
    public void Counts_wecom_text_content_bytes_against_2048()
    {
        var chinese = new string('伟', 700); // 3 bytes each: 2100 bytes
        var model = new WebhookModel { Name = "n", Url = WeComUrl, Body = "{\"msgtype\":\"text\",\"text\":{\"content\":\"" + chinese + "\"}}" };

        var preview = WebhookPreview.Build(model, UserAction.Created);

        Assert.Equal(new SizeCheck("WeCom text content", 2100, 2048, "bytes"), preview.Size);
        Assert.True(preview.Size!.Over);
    }

    [Fact]
    public void A_chosen_target_overrides_detection()
    {
        var model = new WebhookModel { Name = "n", Url = "https://example.com/robot", Target = WebhookTarget.DingTalk, TargetChosen = true, RobotSecret = "SECabc" };

        var preview = WebhookPreview.Build(model, UserAction.Created);

        Assert.Equal(WebhookTarget.DingTalk, model.EffectiveTarget);
        Assert.StartsWith("https://example.com/robot?timestamp=", preview.Url);
        Assert.EndsWith("&sign=" + WebhookPreview.Masked, preview.Url);
        Assert.Equal("DingTalk message", preview.Size!.What);
    }

    [Fact]
    public void Feishu_signing_fields_appear_in_the_body_masked()
    {
        var model = new WebhookModel
        {
            Name = "n", Url = "https://open.feishu.cn/open-apis/bot/v2/hook/t", Body = WebhookPresets.Find("feishu-text")!.Template, RobotSecret = "s",
        };

        using var body = JsonDocument.Parse(WebhookPreview.Build(model, UserAction.Created).Body!);

        Assert.Equal(WebhookPreview.Masked, body.RootElement.GetProperty("sign").GetString());
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("timestamp").ValueKind);
    }

    [Fact]
    public void Signing_secret_adds_a_masked_signature_header()
    {
        var model = new WebhookModel { Name = "n", Url = "https://example.com/h", NewSigningSecret = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };

        Assert.Contains(WebhookPreview.Build(model, UserAction.Created).Headers, h => h is { Name: "webhook-signature", Secret: true });
    }
}
