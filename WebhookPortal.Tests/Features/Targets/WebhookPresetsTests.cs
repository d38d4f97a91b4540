using System.Text.Json;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Features.Targets;

/// <summary>The presets: each renders its platform's shape, as valid JSON, for every action and every hostile value.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class WebhookPresetsTests
{
    public static TheoryData<string, UserAction> EveryPresetForEveryAction()
    {
        var data = new TheoryData<string, UserAction>();
        foreach (var preset in WebhookPresets.All)
        {
            foreach (var action in UserActions.All)
            {
                data.Add(preset.Id, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPresetForEveryAction))]
    public void Every_preset_renders_its_platforms_shape_for_every_action(string id, UserAction action)
    {
        var preset = WebhookPresets.Find(id)!;
        var rendered = TemplateRenderer.RenderBody(preset.Template, TemplateValues.For(TemplateSamples.Friendly(action), "wecom-alerts", "Alerts"));

        using var document = JsonDocument.Parse(rendered);
        var text = MessageText(preset.Target, id, document.RootElement);
        if (preset.Target != WebhookTarget.Generic)
        {
            Assert.StartsWith($"User zhangwei {action.ActionText()}", text);
        }
    }

    [Theory]
    [MemberData(nameof(EveryPresetForEveryAction))]
    public void Every_preset_stays_valid_json_for_the_hostile_user(string id, UserAction action)
    {
        var preset = WebhookPresets.Find(id)!;
        var hostile = TemplateValidator.HostileSample with { Action = action };

        var rendered = TemplateRenderer.RenderBody(preset.Template, TemplateValues.For(hostile, "c\"lient", "we\\bhook"));

        using var document = JsonDocument.Parse(rendered);
        var text = MessageText(preset.Target, id, document.RootElement);
        if (preset.Target != WebhookTarget.Generic)
        {
            // The name arrives as typed: not double-escaped, not cut.
            Assert.Contains(hostile.User.UserName, text);
        }

        Assert.Empty(TemplateValidator.ValidateBody(preset.Template));
    }

    [Fact]
    public void Each_target_has_a_preset_and_generic_is_the_default_body()
    {
        Assert.All(Enum.GetValues<WebhookTarget>(), target => Assert.Equal(target, WebhookPresets.For(target).Target));
        Assert.Equal(TemplateRenderer.DefaultBody, WebhookPresets.For(WebhookTarget.Generic).Template);
        Assert.Equal(WebhookPresets.All.Count, WebhookPresets.All.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Discord_preset_turns_off_mentions_so_a_user_named_everyone_pings_nobody()
    {
        var rendered = TemplateRenderer.RenderBody(WebhookPresets.Find("discord")!.Template,
            TemplateValues.For(TemplateSamples.Friendly(UserAction.Created) with { User = TemplateSamples.Friendly(UserAction.Created).User with { UserName = "@everyone" } }, "c", "w"));

        using var document = JsonDocument.Parse(rendered);
        Assert.Equal(0, document.RootElement.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    // The smallest message shape each platform documents (docs/targets.md lists the sources), and the text a person reads.
    private static string MessageText(WebhookTarget target, string id, JsonElement root) => (target, id) switch
    {
        (WebhookTarget.Generic, _) => Assert.IsType<string>(root.GetProperty("username").GetString()),
        (WebhookTarget.WeCom, "wecom-text") => Field(root, "msgtype", "text").GetProperty("text").GetProperty("content").GetString()!,
        (WebhookTarget.WeCom, "wecom-markdown") => Field(root, "msgtype", "markdown").GetProperty("markdown").GetProperty("content").GetString()!.TrimStart('*'),
        (WebhookTarget.DingTalk, _) => Field(root, "msgtype", "text").GetProperty("text").GetProperty("content").GetString()!,
        (WebhookTarget.Feishu, _) => Field(root, "msg_type", "text").GetProperty("content").GetProperty("text").GetString()!,
        (WebhookTarget.Slack, _) => root.GetProperty("text").GetString()!,
        (WebhookTarget.Discord, _) => root.GetProperty("content").GetString()!,
        (WebhookTarget.Teams, _) => TeamsText(Field(root, "type", "message")),
        _ => throw new InvalidOperationException($"No shape check for preset {id}."),
    };

    private static JsonElement Field(JsonElement root, string name, string expected)
    {
        Assert.Equal(expected, root.GetProperty(name).GetString());
        return root;
    }

    private static string TeamsText(JsonElement root)
    {
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        return card.GetProperty("body")[0].GetProperty("text").GetString()!;
    }
}
