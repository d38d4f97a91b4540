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

/// <summary>Recognises a target from a webhook URL.</summary>
public static class WebhookTargets
{
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
