using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MudBlazor;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// DingTalk custom robot, as the DingTalk custom robot docs describe it: <c>POST
/// https://oapi.dingtalk.com/robot/send?access_token=TOKEN</c>; errors arrive as HTTP 200 with a non-zero <c>errcode</c>;
/// 20 messages a minute per robot, after which it is throttled for 10 minutes (130101); a body of at most 20000 bytes;
/// optional signing ("加签") into the query.
/// </summary>
public sealed class DingTalkTarget : TargetDefinition
{
    /// <summary>Limit of the whole body (error 460101), bytes.</summary>
    public const int BodyBytes = 20000;

    public override WebhookTarget Target => WebhookTarget.DingTalk;

    public override string Label => "DingTalk";

    public override string Icon => Icons.Material.Filled.NotificationsActive;

    public override Uri Documentation { get; } = new("https://open.dingtalk.com/document/robots/custom-robot-access");

    public override string ExampleUrl => "https://oapi.dingtalk.com/robot/send?access_token=TOKEN";

    public override IReadOnlyList<WebhookPreset> Presets { get; } =
    [
        new("dingtalk-text", "DingTalk text", WebhookTarget.DingTalk, $$$"""
            {
              "msgtype": "text",
              "text": {
                "content": "{{{PresetText.Lines}}}"
              },
              "at": {
                "isAtAll": false
              }
            }
            """),
    ];

    public override IReadOnlyList<string> Hosts { get; } = ["oapi.dingtalk.com"];

    public override string SuccessRule => "HTTP 2xx and `errcode` 0 (errors arrive as HTTP 200)";

    // 310000 keyword, signature or timestamp rejected, 300001 token does not exist; 130101 sending too fast, after which the
    // robot is throttled for 10 minutes.
    public override BodyCodes Codes { get; } = new("DingTalk", "errcode", "errmsg",
        Permanent: new HashSet<long> { 310000, 300001 }, RateLimited: new HashSet<long> { 130101 }, RateLimitWait: TimeSpan.FromMinutes(10));

    public override IReadOnlyList<TargetRateLimit> RateLimits { get; } = [new(20, TimeSpan.FromMinutes(1))];

    public override IReadOnlyList<TargetSizeLimit> SizeLimits { get; } = [new("DingTalk message", BodyBytes)];

    public override SizeCheck CheckSize(string body) => SizeCheck.Utf8(SizeLimits[0], body);

    public override string RobotSecretHelp =>
        "The secret of the robot's Signature security setting (starts with SEC); each request is signed with it. Leave empty when the robot uses keywords or an IP allow-list.";

    public override string SigningRule => "`timestamp` (Unix milliseconds) and `sign` added to the query";

    protected override (string Url, string? Body) SignWith(string secret, string url, string? body, DateTimeOffset now) =>
        (SignUrl(url, secret, now), body);

    public override string PreviewSignedUrl(string url, DateTimeOffset timestamp, string mask) =>
        url.Length == 0 ? url : url + (url.Contains('?') ? "&" : "?") + $"timestamp={timestamp.ToUnixTimeMilliseconds()}&sign={mask}";

    /// <summary>
    /// The "加签" signature of the DingTalk custom robot security settings: Base64 of HMAC-SHA256 keyed with the secret's
    /// UTF-8 bytes over <c>timestamp + "\n" + secret</c>. Not yet URL-encoded.
    /// </summary>
    /// <param name="timestampMilliseconds">Unix time in milliseconds, the same value sent as <c>timestamp</c>.</param>
    public static string Signature(string secret, long timestampMilliseconds)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var data = Encoding.UTF8.GetBytes(timestampMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, data));
    }

    /// <summary>
    /// <paramref name="url"/> with <c>timestamp</c> (Unix milliseconds of <paramref name="now"/>) and the URL-encoded
    /// <see cref="Signature"/> as <c>sign</c> appended to its query; <c>timestamp</c> and <c>sign</c> already in the URL
    /// (pasted from an old request) are dropped first, so the robot reads only the fresh pair.
    /// </summary>
    public static string SignUrl(string url, string secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeMilliseconds();
        var sign = Uri.EscapeDataString(Signature(secret, timestamp));

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

    private static bool IsParameter(string pair, string name) =>
        pair.Equals(name, StringComparison.OrdinalIgnoreCase) || pair.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase);
}
