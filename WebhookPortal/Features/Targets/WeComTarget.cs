using System.Text.Json;
using MudBlazor;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// WeCom (enterprise WeChat) group robot, as the WeCom group robot docs describe it: <c>POST
/// https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY</c>, the key being the robot's only credential (no signing);
/// errors arrive as HTTP 200 with a non-zero <c>errcode</c>; 20 messages a minute per robot (45009 beyond); text content at
/// most 2048 UTF-8 bytes, markdown content 4096.
/// </summary>
public sealed class WeComTarget : TargetDefinition
{
    /// <summary>The robot endpoint; its <c>key</c> query parameter is the robot's only credential.</summary>
    public const string RobotUrl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=";

    /// <summary>Limit of <c>text.content</c>, UTF-8 bytes.</summary>
    public const int TextBytes = 2048;

    /// <summary>Limit of <c>markdown.content</c> and <c>markdown_v2.content</c>, UTF-8 bytes.</summary>
    public const int MarkdownBytes = 4096;

    public override WebhookTarget Target => WebhookTarget.WeCom;

    public override string Label => "WeCom";

    public override string Icon => Icons.Material.Filled.Forum;

    public override Uri Documentation { get; } = new("https://developer.work.weixin.qq.com/document/path/91770");

    public override string ExampleUrl => RobotUrl + "KEY";

    public override IReadOnlyList<WebhookPreset> Presets { get; } =
    [
        new("wecom-text", "WeCom text", WebhookTarget.WeCom, $$$"""
            {
              "msgtype": "text",
              "text": {
                "content": "{{{PresetText.Lines}}}"
              }
            }
            """),
        new("wecom-markdown", "WeCom markdown", WebhookTarget.WeCom, $$$"""
            {
              "msgtype": "markdown",
              "markdown": {
                "content": "**{{{PresetText.Headline}}}**\n> Email: {{$$.Email$$}}\n> Client ID: {{$$.ClientID$$}}\n> Time: <font color=\"comment\">{{$$.OccurredAt$$}}</font>"
              }
            }
            """),
    ];

    public override IReadOnlyList<string> Hosts { get; } = ["qyapi.weixin.qq.com"];

    public override string UrlCompletionNote => "That was a WeCom robot key: it was completed to the robot's URL.";

    /// <summary>A bare robot key (a UUID, which is what the WeCom client shows as the key) becomes <see cref="RobotUrl"/> + key.</summary>
    public override string? CompleteUrl(string text) => Guid.TryParseExact(text, "D", out _) ? RobotUrl + text : null;

    public override string SuccessRule => "HTTP 2xx and `errcode` 0 (errors arrive as HTTP 200)";

    // 93000 invalid webhook URL, 40008 invalid message type or malformed JSON, 44004 empty content, 40058 invalid parameter
    // (content over the limit); 45009 frequency limit. -1 (system busy) and unknown codes are retried.
    public override BodyCodes Codes { get; } = new("WeCom", "errcode", "errmsg",
        Permanent: new HashSet<long> { 93000, 40008, 44004, 40058 }, RateLimited: new HashSet<long> { 45009 });

    public override IReadOnlyList<TargetRateLimit> RateLimits { get; } = [new(20, TimeSpan.FromMinutes(1))];

    public override IReadOnlyList<TargetSizeLimit> SizeLimits { get; } =
    [
        new("WeCom text content", TextBytes),
        new("WeCom markdown content", MarkdownBytes),
        new("WeCom markdown_v2 content", MarkdownBytes),
    ];

    /// <summary>The <c>content</c> of a <c>text</c>, <c>markdown</c> or <c>markdown_v2</c> message; null for other message types or a body that is not such JSON.</summary>
    public override SizeCheck? CheckSize(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("msgtype", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var msgtype = type.GetString()!;
            var limit = SizeLimits.FirstOrDefault(l => l.What == $"WeCom {msgtype} content");
            if (limit is null || !root.TryGetProperty(msgtype, out var message) || message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return SizeCheck.Utf8(limit, content.GetString()!);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
