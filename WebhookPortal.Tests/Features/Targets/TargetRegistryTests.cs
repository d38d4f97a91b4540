using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.Json;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Resources;

namespace WebhookPortal.Tests.Features.Targets;

/// <summary>
/// Walks the registry: every <see cref="WebhookTarget"/> value has one definition, and every definition is complete — a
/// name, presets that render to JSON, its texts in English and Chinese, its example URL recognised and masked.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class TargetRegistryTests
{
    private static readonly ResourceManager Resources = new(typeof(Strings));

    // How an ExampleUrl writes a credential.
    private static readonly string[] Placeholders = ["KEY", "TOKEN", "SIG"];

    public static TheoryData<WebhookTarget> EveryTarget() => [.. Enum.GetValues<WebhookTarget>()];

    [Fact]
    public void Every_value_has_one_definition_listed_in_the_order_of_the_enum()
    {
        Assert.Equal(Enum.GetValues<WebhookTarget>(), WebhookTargets.All.Select(d => d.Target));
        Assert.All(Enum.GetValues<WebhookTarget>(), target => Assert.Equal(target, WebhookTargets.For(target).Target));
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public void Has_a_name_an_icon_and_presets_of_its_own(WebhookTarget target)
    {
        var definition = WebhookTargets.For(target);

        Assert.False(string.IsNullOrWhiteSpace(definition.Label));
        Assert.False(string.IsNullOrWhiteSpace(definition.Icon));
        Assert.NotEmpty(definition.Presets);
        Assert.All(definition.Presets, preset => Assert.Equal(target, preset.Target));
        Assert.Equal(definition.Presets[0], WebhookPresets.For(target));
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public void Its_presets_render_to_a_json_object_within_its_size_limits_for_every_action(WebhookTarget target)
    {
        var definition = WebhookTargets.For(target);
        foreach (var preset in definition.Presets)
        {
            Assert.Empty(TemplateValidator.ValidateBody(preset.Template));
            foreach (var action in UserActions.All)
            {
                var rendered = TemplateRenderer.RenderBody(preset.Template, TemplateValues.For(TemplateSamples.Friendly(action), "wecom-alerts", "Alerts"));

                using var document = JsonDocument.Parse(rendered);
                Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                Assert.False(definition.CheckSize(rendered)?.Over ?? false, $"{preset.Id} is over {target}'s size limit for {action}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public void Its_texts_are_in_the_english_and_the_chinese_resources(WebhookTarget target)
    {
        var definition = WebhookTargets.For(target);
        string?[] texts =
        [
            definition.Label, definition.RobotSecretHelp, definition.UrlCompletionNote,
            .. definition.Presets.Select(p => p.Label), .. definition.SizeLimits.Select(l => l.What),
        ];

        var english = Keys(CultureInfo.InvariantCulture);
        var chinese = Keys(CultureInfo.GetCultureInfo("zh-CN"));
        Assert.All(texts.OfType<string>(), text => Assert.Contains(text, english));
        Assert.All(texts.OfType<string>(), text => Assert.Contains(text, chinese));
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public void Recognises_its_example_url_and_masks_the_credentials_in_it(WebhookTarget target)
    {
        var definition = WebhookTargets.For(target);
        var masked = WebhookTargets.MaskUrl(definition.ExampleUrl);

        Assert.Equal(target, WebhookTargets.Detect(definition.ExampleUrl));
        Assert.All(Placeholders, placeholder => Assert.DoesNotContain(placeholder, masked, StringComparison.Ordinal));
        Assert.All(definition.Hosts, host => Assert.Equal(host.ToLowerInvariant(), host));
    }

    [Theory]
    [MemberData(nameof(EveryTarget))]
    public void States_where_its_rules_come_from_and_keeps_them_consistent(WebhookTarget target)
    {
        var definition = WebhookTargets.For(target);

        Assert.True(target == WebhookTarget.Generic || definition.Documentation is { Scheme: "https" });
        Assert.False(string.IsNullOrWhiteSpace(definition.SuccessRule));
        Assert.Equal(definition.UsesRobotSecret, definition.SigningRule is not null);
        Assert.All(definition.RateLimits, limit => Assert.True(limit.Permits > 0 && limit.Window > TimeSpan.Zero));
        Assert.All(definition.SizeLimits, limit => Assert.True(limit.Bytes > 0));
        if (definition.Codes is { } codes)
        {
            Assert.Empty(codes.Permanent.Intersect(codes.RateLimited));
            Assert.DoesNotContain(0, codes.Permanent);
        }
    }

    [Theory]
    [InlineData(WebhookTarget.WeCom, "20/00:01:00")]
    [InlineData(WebhookTarget.DingTalk, "20/00:01:00")]
    [InlineData(WebhookTarget.Feishu, "5/00:00:01 100/00:01:00")]
    [InlineData(WebhookTarget.Slack, "1/00:00:01")]
    [InlineData(WebhookTarget.Generic, null)]
    [InlineData(WebhookTarget.Teams, null)]
    [InlineData(WebhookTarget.Discord, null)]
    public void The_delivery_defaults_are_the_platforms_published_rate_limits(WebhookTarget target, string? expected)
    {
        Assert.Equal(expected, DeliveryOptions.DefaultRateLimits.TryGetValue(target, out var rules)
            ? string.Join(' ', rules.Select(r => $"{r.Permits}/{r.Window}"))
            : null);
    }

    private static HashSet<string> Keys(CultureInfo culture) =>
    [
        .. Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!.Cast<DictionaryEntry>().Select(e => (string)e.Key),
    ];
}
