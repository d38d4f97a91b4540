using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using MudBlazor;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// Feishu / Lark custom bot, as the Feishu custom bot guide describes it: <c>POST
/// https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN</c> (Lark: <c>open.larksuite.com</c>); errors arrive with a non-zero
/// <c>code</c>, as HTTP 200 or, for the rate limit, as HTTP 400 (9499); 5 messages a second and 100 a minute per bot; a body of
/// at most 20 KB; optional signature verification into the body.
/// </summary>
public sealed partial class FeishuTarget : TargetDefinition
{
    /// <summary>Limit of the whole body, bytes.</summary>
    public const int BodyBytes = 20 * 1024;

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override WebhookTarget Target => WebhookTarget.Feishu;

    public override string Label => "Feishu / Lark";

    public override string Icon => Icons.Material.Filled.Send;

    public override Uri Documentation { get; } = new("https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot");

    public override string ExampleUrl => "https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN";

    public override IReadOnlyList<WebhookPreset> Presets { get; } =
    [
        new("feishu-text", "Feishu / Lark text", WebhookTarget.Feishu, $$$"""
            {
              "msg_type": "text",
              "content": {
                "text": "{{{PresetText.Lines}}}"
              }
            }
            """),
    ];

    public override IReadOnlyList<string> Hosts { get; } = ["open.feishu.cn", "open.larksuite.com"];

    public override string MaskPath(string url) => HookToken().Replace(url, "$1…");

    public override string SuccessRule => "HTTP 2xx and `code` 0 (errors arrive as HTTP 200, the rate limit also as HTTP 400)";

    // 19021 signature mismatch, 19022 IP not allowed, 19024 keyword missing; 11232 flow control and 9499 "too many request"
    // (as HTTP 400) are the rate limit.
    public override BodyCodes Codes { get; } = new("Feishu", "code", "msg",
        Permanent: new HashSet<long> { 19021, 19022, 19024 }, RateLimited: new HashSet<long> { 11232, 9499 });

    /// <summary>A 2xx by its <c>code</c>; a 400 too when it carries a rate-limit code, which is then not the permanent kind of 400.</summary>
    public override Verdict? Judge(int status, string? body) =>
        status is >= 200 and < 300 || (status == 400 && Codes.IsRateLimited(body)) ? Codes.Judge(body) : null;

    public override IReadOnlyList<TargetRateLimit> RateLimits { get; } = [new(5, TimeSpan.FromSeconds(1)), new(100, TimeSpan.FromMinutes(1))];

    public override IReadOnlyList<TargetSizeLimit> SizeLimits { get; } = [new("Feishu message", BodyBytes)];

    public override SizeCheck CheckSize(string body) => SizeCheck.Utf8(SizeLimits[0], body);

    public override string RobotSecretHelp =>
        "The secret of the bot's signature verification setting; each message is signed with it. Leave empty when the bot does not verify signatures.";

    public override string SigningRule => "`timestamp` (Unix seconds) and `sign` added to the JSON body, as strings";

    protected override (string Url, string? Body) SignWith(string secret, string url, string? body, DateTimeOffset now) =>
        (url, SignBody(body ?? "{}", secret, now));

    public override string PreviewSignedBody(string body, DateTimeOffset timestamp, string mask)
    {
        if (!body.TrimStart().StartsWith('{'))
        {
            return body;
        }

        // The signature goes in as the body's first members, as SignBody puts it.
        var open = body.IndexOf('{') + 1;
        var rest = body[open..].TrimStart();
        return body[..open] + $"\"timestamp\":\"{timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}\",\"sign\":\"{mask}\""
            + (rest.StartsWith('}') ? "" : ",") + body[open..];
    }

    /// <summary>
    /// The signature of the Feishu / Lark custom bot's signature verification: Base64 of HMAC-SHA256 keyed with
    /// <c>timestamp + "\n" + secret</c> over an empty message. Not DingTalk's scheme: key and data are swapped.
    /// </summary>
    /// <param name="timestampSeconds">Unix time in seconds, the same value sent as <c>timestamp</c>.</param>
    public static string Signature(string secret, long timestampSeconds)
    {
        var key = Encoding.UTF8.GetBytes(timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Array.Empty<byte>()));
    }

    /// <summary>
    /// <paramref name="body"/> (a JSON object) with <c>"timestamp"</c> (Unix seconds of <paramref name="now"/>, a string) and
    /// <c>"sign"</c> (<see cref="Signature"/>) as its first members; members of those names already in the body are
    /// dropped, every other member is kept byte for byte.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="body"/> is not a JSON object.</exception>
    public static string SignBody(string body, string secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds();
        var sign = Signature(secret, timestamp);
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

    [GeneratedRegex(@"(/open-apis/bot/v2/hook/)[^/?#]+", RegexOptions.IgnoreCase)]
    private static partial Regex HookToken();
}
