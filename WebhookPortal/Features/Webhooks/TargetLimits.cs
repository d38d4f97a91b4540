using System.Text;
using System.Text.Json;

namespace WebhookPortal.Features.Webhooks;

/// <summary>A measured size against a platform's limit.</summary>
/// <param name="What">What was measured, e.g. "WeCom text content".</param>
/// <param name="Used">The size of the rendered message, in <paramref name="Unit"/>.</param>
/// <param name="Limit">The platform's maximum, in <paramref name="Unit"/>.</param>
/// <param name="Unit">"bytes" (UTF-8).</param>
public sealed record SizeCheck(string What, int Used, int Limit, string Unit)
{
    /// <summary>True when the platform would refuse the message.</summary>
    public bool Over => Used > Limit;

    /// <inheritdoc />
    public override string ToString() => $"{What}: {Used:N0} of {Limit:N0} {Unit}";

    /// <summary><see cref="ToString"/> in the current UI culture, e.g. "WeCom text content: 312 of 2,048 bytes".</summary>
    public string ToDisplayString() =>
        WebhookPortal.Resources.UiText.Format("{0}: {1:N0} of {2:N0} bytes", WebhookPortal.Resources.UiText.Get(What), Used, Limit);
}

/// <summary>
/// Message size limits per target, counted in UTF-8 bytes because that is what the platforms count
/// (<c>shared/reference/targets.md</c>): WeCom text content 2048, markdown content 4096; DingTalk body 20000;
/// Feishu/Lark body 20 KB.
/// </summary>
public static class TargetLimits
{
    /// <summary>WeCom <c>text.content</c> limit, UTF-8 bytes.</summary>
    public const int WeComTextBytes = 2048;
    /// <summary>WeCom <c>markdown.content</c> / <c>markdown_v2.content</c> limit, UTF-8 bytes.</summary>
    public const int WeComMarkdownBytes = 4096;
    /// <summary>DingTalk whole-body limit (error 460101), bytes.</summary>
    public const int DingTalkBodyBytes = 20000;
    /// <summary>Feishu / Lark whole-body limit, bytes.</summary>
    public const int FeishuBodyBytes = 20 * 1024;

    /// <summary>
    /// The size check that applies to <paramref name="renderedBody"/> sent to <paramref name="target"/>, or null when the
    /// target has no documented limit or (WeCom) the body is not one of the measured message types.
    /// </summary>
    public static SizeCheck? Check(WebhookTarget target, string? renderedBody)
    {
        if (renderedBody is null)
        {
            return null;
        }

        switch (target)
        {
            case WebhookTarget.DingTalk:
                return new SizeCheck("DingTalk message", Encoding.UTF8.GetByteCount(renderedBody), DingTalkBodyBytes, "bytes");
            case WebhookTarget.Feishu:
                return new SizeCheck("Feishu message", Encoding.UTF8.GetByteCount(renderedBody), FeishuBodyBytes, "bytes");
            case WebhookTarget.WeCom:
                return WeComContent(renderedBody);
            default:
                return null;
        }
    }

    private static SizeCheck? WeComContent(string body)
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
            var limit = msgtype switch
            {
                "text" => WeComTextBytes,
                "markdown" or "markdown_v2" => WeComMarkdownBytes,
                _ => 0,
            };
            if (limit == 0 || !root.TryGetProperty(msgtype, out var message) || message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return new SizeCheck($"WeCom {msgtype} content", Encoding.UTF8.GetByteCount(content.GetString()!), limit, "bytes");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
