using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The chat robots' own request signing (<c>shared/reference/targets.md</c>), applied to each attempt's copy of the request
/// and never to the stored delivery: a signature carries its time, and the robots refuse old ones (DingTalk after about an
/// hour), so it is computed fresh for every attempt.
/// </summary>
public static class RobotSigning
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The URL and body to send for one attempt of a <paramref name="target"/> robot whose signing secret is <paramref name="secret"/>
    /// at <paramref name="now"/>: DingTalk signs into the query, Feishu/Lark into the body; every other target, and a robot
    /// without a secret, gets <paramref name="url"/> and <paramref name="body"/> unchanged.
    /// </summary>
    /// <exception cref="FormatException">A Feishu body that is not a JSON object, so there is nowhere to put the signature.</exception>
    public static (string Url, string? Body) Apply(WebhookTarget target, string? secret, string url, string? body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return (url, body);
        }

        return target switch
        {
            WebhookTarget.DingTalk => (SignDingTalkUrl(url, secret, now), body),
            WebhookTarget.Feishu => (url, SignFeishuBody(body ?? "{}", secret, now)),
            _ => (url, body),
        };
    }

    /// <summary>
    /// DingTalk custom robot "加签" (open.dingtalk.com, custom robot security settings): Base64 of HMAC-SHA256 keyed with the
    /// secret's UTF-8 bytes over <c>timestamp + "\n" + secret</c>. Not yet URL-encoded.
    /// </summary>
    /// <param name="timestampMilliseconds">Unix time in milliseconds, the same value sent as <c>timestamp</c>.</param>
    public static string DingTalkSignature(string secret, long timestampMilliseconds)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(timestampMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, data));
    }

    /// <summary>
    /// <paramref name="url"/> with <c>timestamp</c> (Unix milliseconds of <paramref name="now"/>) and the URL-encoded
    /// <see cref="DingTalkSignature"/> as <c>sign</c> appended to its query; <c>timestamp</c> and <c>sign</c> already in the
    /// URL (pasted from an old request) are dropped first, so the robot reads only the fresh pair.
    /// </summary>
    public static string SignDingTalkUrl(string url, string secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds();
        var sign = Uri.EscapeDataString(DingTalkSignature(secret, timestamp));

        var fragmentAt = url.IndexOf('#', StringComparison.Ordinal);
        var fragment = fragmentAt < 0 ? "" : url[fragmentAt..];
        var withoutFragment = fragmentAt < 0 ? url : url[..fragmentAt];
        var queryAt = withoutFragment.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? withoutFragment : withoutFragment[..queryAt];
        var kept = queryAt < 0
            ? []
            : withoutFragment[(queryAt + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !IsParameter(p, "timestamp") && !IsParameter(p, "sign"));
        var query = string.Join('&', kept.Append($"timestamp={timestamp.ToString(CultureInfo.InvariantCulture)}").Append($"sign={sign}"));
        return path + "?" + query + fragment;
    }

    /// <summary>
    /// Feishu / Lark custom bot signature verification (open.feishu.cn, "自定义机器人使用指南", 签名校验): Base64 of HMAC-SHA256
    /// keyed with <c>timestamp + "\n" + secret</c> over an empty message. Not DingTalk's scheme: key and data are swapped.
    /// </summary>
    /// <param name="timestampSeconds">Unix time in seconds, the same value sent as <c>timestamp</c>.</param>
    public static string FeishuSignature(string secret, long timestampSeconds)
    {
        var key = Encoding.UTF8.GetBytes(timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Array.Empty<byte>()));
    }

    /// <summary>
    /// <paramref name="body"/> (a JSON object) with <c>"timestamp"</c> (Unix seconds of <paramref name="now"/>, a string) and
    /// <c>"sign"</c> (<see cref="FeishuSignature"/>) as its first members; members of those names already in the body are
    /// dropped, every other member is kept byte for byte.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="body"/> is not a JSON object.</exception>
    public static string SignFeishuBody(string body, string secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds();
        var sign = FeishuSignature(secret, timestamp);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The body is not JSON, so the Feishu signature cannot be added to it.", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The body is not a JSON object, so the Feishu signature cannot be added to it.");
            }

            var output = new StringBuilder();
            output.Append("{\"timestamp\":\"").Append(timestamp.ToString(CultureInfo.InvariantCulture))
                .Append("\",\"sign\":\"").Append(sign).Append('"');
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.NameEquals("timestamp") || member.NameEquals("sign"))
                {
                    continue;
                }

                output.Append(',').Append(JsonSerializer.Serialize(member.Name, RelaxedJson)).Append(':').Append(member.Value.GetRawText());
            }

            return output.Append('}').ToString();
        }
    }

    private static bool IsParameter(string pair, string name) =>
        pair.Equals(name, StringComparison.OrdinalIgnoreCase) || pair.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase);
}
