using System.Text.Json;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Judges a 2xx answer by its target's rule (<c>shared/reference/targets.md</c>): chat robots report errors as HTTP 200
/// with an error code in the body, so a 2xx alone is not success for them.
/// </summary>
public static class TargetRules
{
    /// <summary>What a receiver's answer means for the delivery.</summary>
    /// <param name="Error">Why it is not a success, for the attempt log; null on success.</param>
    /// <param name="RateLimited">The platform's rate-limit code: the retry waits at least <see cref="DeliveryOptions.MinRetryAfter"/>.</param>
    /// <param name="RetryAfter">A wait the platform's code implies (DingTalk throttles for 10 minutes).</param>
    public sealed record Verdict(bool Succeeded, bool Permanent, string? Error, bool RateLimited = false, TimeSpan? RetryAfter = null);

    private static readonly HashSet<long> WeComPermanent = [93000, 40008, 44004, 40058];
    private static readonly HashSet<long> DingTalkPermanent = [310000, 300001];
    private static readonly HashSet<long> FeishuPermanent = [19021, 19022, 19024];
    private static readonly HashSet<long> FeishuRateLimited = [11232, 9499];
    private const long WeComRateLimited = 45009;
    private const long DingTalkRateLimited = 130101;

    /// <summary>
    /// The verdict on an answer with HTTP <paramref name="status"/> and body <paramref name="body"/> (possibly cut to the
    /// excerpt), or null when the status alone decides (the generic rules: 2xx success, 4xx permanent, others retried).
    /// </summary>
    public static Verdict? Judge(WebhookTarget target, int status, string? body)
    {
        switch (target)
        {
            case WebhookTarget.WeCom when status is >= 200 and < 300:
                return Code(body, "errcode", "errmsg", WeComPermanent.Contains, code => code == WeComRateLimited, null, "WeCom");
            case WebhookTarget.DingTalk when status is >= 200 and < 300:
                // DingTalk throttles a robot for 10 minutes after its limit.
                return Code(body, "errcode", "errmsg", DingTalkPermanent.Contains, code => code == DingTalkRateLimited, TimeSpan.FromMinutes(10), "DingTalk");
            case WebhookTarget.Feishu when status is >= 200 and < 300 || (status == 400 && HasCode(body, "code", FeishuRateLimited)):
                // Feishu reports its rate limit as HTTP 400 with code 9499 too: that 400 is not the permanent kind.
                return Code(body, "code", "msg", FeishuPermanent.Contains, FeishuRateLimited.Contains, null, "Feishu");
            case WebhookTarget.Slack when status is >= 200 and < 300:
                return body?.Trim() == "ok"
                    ? new Verdict(true, false, null)
                    : new Verdict(false, true, $"Slack did not answer \"ok\": {Short(body)}");
            default:
                return null;
        }
    }

    /// <summary>
    /// The wait a <paramref name="target"/> puts in the body of a rate-limit answer, or null: Discord answers 429 with
    /// <c>{"retry_after": seconds}</c>, a float (discord.com/developers/docs/topics/rate-limits), more precise than its header.
    /// </summary>
    public static TimeSpan? RetryAfterInBody(WebhookTarget target, int status, string? body)
    {
        if (target != WebhookTarget.Discord || status != 429 || string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("retry_after", out var element)
                && element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var seconds) && seconds is >= 0 and < 1e9
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Verdict Code(
        string? body, string codeName, string messageName, Func<long, bool> permanent, Func<long, bool> rateLimited, TimeSpan? rateLimitWait,
        string platform)
    {
        if (!TryReadCode(body, codeName, messageName, out var code, out var message))
        {
            return new Verdict(false, false, $"{platform} answered without a numeric \"{codeName}\": {Short(body)}");
        }

        if (code == 0)
        {
            return new Verdict(true, false, null);
        }

        var limited = rateLimited(code);
        return new Verdict(false, permanent(code), $"{platform} {codeName} {code}: {message ?? Short(body)}", limited, limited ? rateLimitWait : null);
    }

    private static bool HasCode(string? body, string codeName, HashSet<long> codes) =>
        TryReadCode(body, codeName, "", out var code, out _) && codes.Contains(code);

    private static bool TryReadCode(string? body, string codeName, string messageName, out long code, out string? message)
    {
        code = 0;
        message = null;
        try
        {
            using var document = JsonDocument.Parse(body ?? "");
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(codeName, out var element)
                || element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out code))
            {
                return false;
            }

            message = root.TryGetProperty(messageName, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Short(string? body) => string.IsNullOrEmpty(body) ? "(empty body)" : body.Length <= 200 ? body : body[..200] + "…";
}
