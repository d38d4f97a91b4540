using System.Text.Json;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Targets;

/// <summary>
/// The error code a chat robot puts in the JSON body of its answers, HTTP 200 included, so a 2xx alone is not success:
/// 0 is success, a code in <paramref name="Permanent"/> fails the delivery at once, one in <paramref name="RateLimited"/>
/// is retried after the rate-limit wait, any other code (or an answer without one) is retried on the schedule.
/// </summary>
/// <param name="Platform">The name used in attempt errors, e.g. "WeCom" in "WeCom errcode 93000: invalid webhook url".</param>
/// <param name="CodeName">The member holding the code, e.g. <c>errcode</c>.</param>
/// <param name="MessageName">The member holding the platform's message, e.g. <c>errmsg</c>.</param>
/// <param name="Permanent">Codes that can never succeed as sent; disjoint from <paramref name="RateLimited"/>.</param>
/// <param name="RateLimited">The platform's rate-limit codes.</param>
/// <param name="RateLimitWait">How long the platform blocks after a rate-limit code, when it says; null when it does not.</param>
public sealed record BodyCodes(
    string Platform, string CodeName, string MessageName, IReadOnlySet<long> Permanent, IReadOnlySet<long> RateLimited,
    TimeSpan? RateLimitWait = null)
{
    /// <summary>The verdict on an answer whose body is <paramref name="body"/> (possibly cut to the excerpt).</summary>
    public Verdict Judge(string? body)
    {
        if (!TryRead(body, out var code, out var message))
        {
            return Verdict.RetryableFailure(new CodedMessage(MessageCodes.NoNumericCode, Platform, CodeName, Excerpt(body)));
        }

        if (code == 0)
        {
            return Verdict.Success();
        }

        var error = $"{Platform} {CodeName} {code}: {message ?? Shorten(body)}";
        return Permanent.Contains(code) ? Verdict.PermanentFailure(error)
            : RateLimited.Contains(code) ? Verdict.Throttled(error, RateLimitWait)
            : Verdict.RetryableFailure(error);
    }

    /// <summary>True when <paramref name="body"/> holds one of the <see cref="RateLimited"/> codes.</summary>
    public bool IsRateLimited(string? body) => TryRead(body, out var code, out _) && RateLimited.Contains(code);

    /// <summary>At most 200 characters of <paramref name="body"/> for an attempt error, or <see cref="MessageCodes.EmptyBody"/> when there is none.</summary>
    public static MessageArg Excerpt(string? body) => string.IsNullOrEmpty(body) ? new CodedMessage(MessageCodes.EmptyBody) : Shorten(body);

    /// <summary>At most 200 characters of <paramref name="body"/> for an attempt error; "(empty body)" when there is none.</summary>
    public static string Shorten(string? body) =>
        string.IsNullOrEmpty(body) ? "(empty body)" : body.Length <= 200 ? body : body[..200] + "…";

    private bool TryRead(string? body, out long code, out string? message)
    {
        code = 0;
        message = null;
        try
        {
            using var document = JsonDocument.Parse(body ?? "");
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(CodeName, out var element)
                || element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out code))
            {
                return false;
            }

            message = root.TryGetProperty(MessageName, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
