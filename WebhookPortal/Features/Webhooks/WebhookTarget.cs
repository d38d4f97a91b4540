using System.Text.RegularExpressions;

namespace WebhookPortal.Features.Webhooks;

/// <summary>
/// What kind of receiver a webhook's URL is (DESIGN §1). Decides the success rule today, and presets, signing, rate
/// and size limits as they arrive. Facts: <c>shared/reference/targets.md</c>.
/// </summary>
public enum WebhookTarget
{
    /// <summary>Any HTTP endpoint: a 2xx answer is success.</summary>
    Generic = 0,
    /// <summary>WeCom (enterprise WeChat) group robot: HTTP 200 and <c>errcode == 0</c>.</summary>
    WeCom = 1,
    /// <summary>DingTalk custom robot: HTTP 200 and <c>errcode == 0</c>.</summary>
    DingTalk = 2,
    /// <summary>Feishu / Lark bot: HTTP 2xx and <c>code == 0</c>.</summary>
    Feishu = 3,
    /// <summary>Slack incoming webhook: HTTP 200 with the plain body <c>ok</c>.</summary>
    Slack = 4,
    /// <summary>Microsoft Teams Workflows: HTTP 202 (accepted).</summary>
    Teams = 5,
    /// <summary>Discord webhook: HTTP 200 or 204.</summary>
    Discord = 6,
}

/// <summary>Recognises a target from a webhook URL, names it, and hides the credentials robot URLs carry.</summary>
public static partial class WebhookTargets
{
    /// <summary>The WeCom group robot endpoint; its <c>key</c> query parameter is the robot's only credential.</summary>
    public const string WeComRobotUrl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=";

    /// <summary>Every target, in the order the UI lists them.</summary>
    public static readonly IReadOnlyList<WebhookTarget> All = Enum.GetValues<WebhookTarget>();

    /// <summary>The display name: Generic JSON, WeCom, DingTalk, Feishu / Lark, Slack, Microsoft Teams, Discord.</summary>
    public static string Label(this WebhookTarget target) => target switch
    {
        WebhookTarget.WeCom => "WeCom",
        WebhookTarget.DingTalk => "DingTalk",
        WebhookTarget.Feishu => "Feishu / Lark",
        WebhookTarget.Slack => "Slack",
        WebhookTarget.Teams => "Microsoft Teams",
        WebhookTarget.Discord => "Discord",
        _ => "Generic JSON",
    };

    /// <summary>
    /// What an administrator pasted into URL, made a URL where it is unambiguous: a bare WeCom robot key (a UUID, what the
    /// WeCom client shows as the robot's key) becomes <see cref="WeComRobotUrl"/> + key. Anything else comes back trimmed.
    /// </summary>
    public static string NormalizeUrl(string? input)
    {
        var text = input?.Trim() ?? "";
        return Guid.TryParseExact(text, "D", out _) ? WeComRobotUrl + text : text;
    }

    /// <summary>
    /// <paramref name="url"/> for display and logs, with the credentials robot URLs carry replaced by <c>…</c>: WeCom
    /// <c>key</c>, DingTalk <c>access_token</c>, any <c>token</c>/<c>sig</c>/<c>secret</c>/<c>key</c>-like query value,
    /// the Feishu/Lark hook token, Slack's path tokens and Discord's webhook token.
    /// </summary>
    public static string MaskUrl(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "";
        }

        var masked = SecretQueryValue().Replace(url, m => m.Groups["name"].Value + "=…");
        masked = FeishuToken().Replace(masked, "$1…");
        masked = SlackTokens().Replace(masked, "$1…");
        masked = DiscordToken().Replace(masked, "$1…");
        return masked;
    }

    [GeneratedRegex(@"(?<name>[?&](?:key|access_token|token|sig|signature|secret|api_key|apikey|code|password)[^=&#]*)=[^&#]+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQueryValue();

    [GeneratedRegex(@"(/open-apis/bot/v2/hook/)[^/?#]+", RegexOptions.IgnoreCase)]
    private static partial Regex FeishuToken();

    [GeneratedRegex(@"(hooks\.slack\.com/(?:services|workflows|triggers)/[^/?#]+/[^/?#]+/)[^?#]+", RegexOptions.IgnoreCase)]
    private static partial Regex SlackTokens();

    [GeneratedRegex(@"(/api/webhooks/\d+/)[^/?#]+", RegexOptions.IgnoreCase)]
    private static partial Regex DiscordToken();

    /// <summary>The target whose host (and, for Discord, path) <paramref name="url"/> names; Generic when none does.</summary>
    public static WebhookTarget Detect(string? url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri))
        {
            return WebhookTarget.Generic;
        }

        var host = uri.Host.ToLowerInvariant();
        return host switch
        {
            "qyapi.weixin.qq.com" => WebhookTarget.WeCom,
            "oapi.dingtalk.com" => WebhookTarget.DingTalk,
            "open.feishu.cn" or "open.larksuite.com" => WebhookTarget.Feishu,
            "hooks.slack.com" => WebhookTarget.Slack,
            "discord.com" or "discordapp.com" when uri.AbsolutePath.StartsWith("/api/webhooks/", StringComparison.OrdinalIgnoreCase) => WebhookTarget.Discord,
            _ when host.EndsWith(".logic.azure.com", StringComparison.Ordinal)
                || host.EndsWith(".environment.api.powerplatform.com", StringComparison.Ordinal) => WebhookTarget.Teams,
            _ => WebhookTarget.Generic,
        };
    }
}
