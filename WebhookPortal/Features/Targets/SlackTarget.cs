using System.Text.RegularExpressions;
using MudBlazor;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// Slack incoming webhook, as Slack's incoming webhooks docs describe it: <c>POST https://hooks.slack.com/services/T/B/X</c>,
/// the path being the credential; success is HTTP 200 with the plain body <c>ok</c>, errors a plain code (<c>no_text</c>,
/// <c>invalid_payload</c>, <c>channel_not_found</c> …); about one message a second, then HTTP 429 with Retry-After.
/// </summary>
public sealed partial class SlackTarget : TargetDefinition
{
    public override WebhookTarget Target => WebhookTarget.Slack;

    public override string Label => "Slack";

    public override string Icon => Icons.Custom.Brands.Slack;

    public override Uri Documentation { get; } = new("https://api.slack.com/messaging/webhooks");

    public override string ExampleUrl => "https://hooks.slack.com/services/T0000/B0000/TOKEN";

    public override IReadOnlyList<WebhookPreset> Presets { get; } =
    [
        new("slack", "Slack", WebhookTarget.Slack, $$$"""
            {
              "text": "{{{PresetText.Lines}}}"
            }
            """),
    ];

    public override IReadOnlyList<string> Hosts { get; } = ["hooks.slack.com"];

    public override string MaskPath(string url) => PathTokens().Replace(url, "$1…");

    public override string SuccessRule => "HTTP 2xx with the plain body `ok`; any other 2xx body fails at once";

    /// <summary>A 2xx is success only with the body <c>ok</c>; any other 2xx body is a payload Slack will never accept.</summary>
    public override Verdict? Judge(int status, string? body) => status is >= 200 and < 300
        ? body?.Trim() == "ok" ? Verdict.Success() : Verdict.PermanentFailure(new CodedMessage(MessageCodes.SlackNotOk, BodyCodes.Excerpt(body)))
        : null;

    public override IReadOnlyList<TargetRateLimit> RateLimits { get; } = [new(1, TimeSpan.FromSeconds(1))];

    [GeneratedRegex(@"(hooks\.slack\.com/(?:services|workflows|triggers)/[^/?#]+/[^/?#]+/)[^?#]+", RegexOptions.IgnoreCase)]
    private static partial Regex PathTokens();
}
