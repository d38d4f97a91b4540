using System.Text.RegularExpressions;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// The registry of receiver kinds: one <see cref="TargetDefinition"/> per <see cref="WebhookTarget"/> value, and what needs
/// all of them at once — recognising a URL's kind, completing what was pasted into URL, masking credentials.
/// </summary>
public static partial class WebhookTargets
{
    /// <summary>
    /// Every kind, in the order of <see cref="WebhookTarget"/>, which is the order the UI lists them. A new kind is one line
    /// here (docs/targets.md, "How to add a target").
    /// </summary>
    public static readonly IReadOnlyList<TargetDefinition> All =
    [
        new GenericTarget(),
        new WeComTarget(),
        new DingTalkTarget(),
        new FeishuTarget(),
        new SlackTarget(),
        new TeamsTarget(),
        new DiscordTarget(),
    ];

    private static readonly Dictionary<WebhookTarget, TargetDefinition> ByTarget = All.ToDictionary(d => d.Target);

    /// <summary>The definition of <paramref name="target"/>; Generic's for a number no kind has (a row written by a newer version).</summary>
    public static TargetDefinition For(WebhookTarget target) =>
        ByTarget.TryGetValue(target, out var definition) ? definition : ByTarget[WebhookTarget.Generic];

    /// <summary>The display name in English, also the resource key: Generic JSON, WeCom, DingTalk, Feishu / Lark, Slack, Microsoft Teams, Discord.</summary>
    public static string Label(this WebhookTarget target) => For(target).Label;

    /// <summary>The kind whose <see cref="TargetDefinition.Matches"/> accepts <paramref name="url"/>; Generic when none does or it is not an absolute URL.</summary>
    public static WebhookTarget Detect(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && All.FirstOrDefault(d => d.Matches(uri)) is { } found
            ? found.Target
            : WebhookTarget.Generic;

    /// <summary>
    /// What an administrator typed into URL, made a URL where it unambiguously stands for one (a bare WeCom robot key), with
    /// the kind that completed it; anything else comes back trimmed, with null.
    /// </summary>
    public static (string Url, TargetDefinition? CompletedBy) CompleteUrl(string? input)
    {
        var text = input?.Trim() ?? "";
        foreach (var definition in All.Where(d => d.UrlCompletionNote is not null))
        {
            if (definition.CompleteUrl(text) is { } url)
            {
                return (url, definition);
            }
        }

        return (text, null);
    }

    /// <summary>
    /// <paramref name="url"/> for display and logs, with credentials replaced by <c>…</c>: any <c>key</c>, <c>token</c>,
    /// <c>sig</c>, <c>secret</c>-like query value (WeCom <c>key</c>, DingTalk <c>access_token</c>, Teams <c>sig</c>), then
    /// each kind's path tokens (<see cref="TargetDefinition.MaskPath"/>), whatever kind the URL was detected as.
    /// </summary>
    public static string MaskUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "";
        }

        var masked = SecretQueryValue().Replace(url, m => m.Groups["name"].Value + "=…");
        return All.Aggregate(masked, (text, definition) => definition.MaskPath(text));
    }

    [GeneratedRegex(@"(?<name>[?&](?:key|access_token|token|sig|signature|secret|api_key|apikey|code|password)[^=&#]*)=[^&#]+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQueryValue();
}
