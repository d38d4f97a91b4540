namespace WebhookPortal.Features.Targets;

/// <summary>
/// What kind of receiver a webhook's URL is. Stored by number with every webhook and delivery, so a value is never
/// renumbered or reused. Each value has one <see cref="TargetDefinition"/> in <see cref="WebhookTargets.All"/>, which decides
/// its presets, success rule, signing and size and rate limits (docs/targets.md).
/// </summary>
public enum WebhookTarget
{
    /// <summary>Any HTTP endpoint: a 2xx answer is success (<see cref="GenericTarget"/>).</summary>
    Generic = 0,
    /// <summary>WeCom (enterprise WeChat) group robot: HTTP 2xx and <c>errcode == 0</c> (<see cref="WeComTarget"/>).</summary>
    WeCom = 1,
    /// <summary>DingTalk custom robot: HTTP 2xx and <c>errcode == 0</c> (<see cref="DingTalkTarget"/>).</summary>
    DingTalk = 2,
    /// <summary>Feishu / Lark custom bot: HTTP 2xx and <c>code == 0</c> (<see cref="FeishuTarget"/>).</summary>
    Feishu = 3,
    /// <summary>Slack incoming webhook: HTTP 2xx with the plain body <c>ok</c> (<see cref="SlackTarget"/>).</summary>
    Slack = 4,
    /// <summary>Microsoft Teams Workflows webhook: HTTP 2xx, normally 202 Accepted (<see cref="TeamsTarget"/>).</summary>
    Teams = 5,
    /// <summary>Discord webhook: HTTP 2xx, 204 or 200 (<see cref="DiscordTarget"/>).</summary>
    Discord = 6,
}
