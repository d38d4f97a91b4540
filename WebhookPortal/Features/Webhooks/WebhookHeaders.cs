using WebhookPortal.Features.Security;
using WebhookPortal.Features.Templates;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Webhooks;

/// <summary>Rules for custom headers: a token name (RFC 9110), no control characters in the value, and none of the headers the portal sets itself.</summary>
public static class WebhookHeaders
{
    /// <summary>Most custom headers one webhook may carry.</summary>
    public const int MaxCount = 20;
    /// <summary>Longest header name, in characters.</summary>
    public const int NameMaxLength = 100;
    /// <summary>Longest header value template, in characters.</summary>
    public const int ValueMaxLength = 2000;

    /// <summary>
    /// Names the portal sets itself or that HTTP forbids a sender to choose: framing headers (a wrong <c>Content-Length</c>
    /// or <c>Transfer-Encoding</c> desynchronises the connection), <c>Host</c>, and every <c>webhook-*</c> header of
    /// Standard Webhooks, whose signature would otherwise be forgeable.
    /// </summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "TE", "Trailer", "Keep-Alive",
        "Proxy-Connection", "Content-Type", "User-Agent", "X-Webhook-Event",
    };

    /// <summary>True when the portal sets the header itself, so an administrator may not.</summary>
    public static bool IsReserved(string name) =>
        Reserved.Contains(name) || name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for an RFC 9110 §5.6.2 token: one or more of <c>!#$%&amp;'*+-.^_`|~</c>, digits and ASCII letters.</summary>
    public static bool IsToken(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));

    /// <summary>True when <paramref name="value"/> contains a character no header value may carry (controls other than tab, DEL).</summary>
    public static bool HasControlCharacter(string value) => value.Any(c => (char.IsControl(c) && c != '\t'));

    /// <summary>Every problem with <paramref name="headers"/>, each naming the row; empty when they may be saved.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<WebhookHeader>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return [];
        }

        var errors = new List<string>();
        if (headers.Count > MaxCount)
        {
            errors.Add(UiText.Format("At most {0} headers.", MaxCount));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = (headers[i].Name.Trim(), headers[i].Value);
            var row = UiText.Format("Header {0}", i + 1);
            if (name.Length == 0)
            {
                errors.Add(UiText.Format("{0}: name is required.", row));
                continue;
            }

            row = UiText.Format("Header {0}", name);
            if (name.Length > NameMaxLength)
            {
                errors.Add(UiText.Format("Header {0}: name must be at most {1} characters.", i + 1, NameMaxLength));
            }
            else if (!IsToken(name))
            {
                errors.Add(UiText.Format("{0}: a name may hold only letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons).", row));
            }
            else if (IsReserved(name))
            {
                errors.Add(UiText.Format("{0}: the portal sets this header itself; choose another name.", row));
            }
            else if (!seen.Add(name))
            {
                errors.Add(UiText.Format("{0}: appears twice; header names are case-insensitive.", row));
            }

            if (value.Length > ValueMaxLength)
            {
                errors.Add(UiText.Format("{0}: value must be at most {1} characters.", row, ValueMaxLength));
            }
            else if (HasControlCharacter(value))
            {
                errors.Add(UiText.Format("{0}: value must not contain line breaks or other control characters.", row));
            }
            else if (TextRules.HasLoneSurrogate(value))
            {
                errors.Add(UiText.Format("{0}: value contains characters that are not valid text (pasted binary data or half an emoji).", row));
            }
            else if (WebhookTemplate.Parse(value) is { Errors.Count: > 0 } parsed)
            {
                errors.AddRange(parsed.Errors.Select(e => $"{row}: {e.Message}"));
            }
            else if (headers[i].Secret && value.Contains("{{", StringComparison.Ordinal))
            {
                // A secret value is stored encrypted and sent as it is, so it cannot be a template.
                errors.Add(UiText.Format("{0}: a secret value cannot use variables.", row));
            }
        }

        return errors;
    }
}
