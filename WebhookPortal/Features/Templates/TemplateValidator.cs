using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebhookPortal.Features.Security;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Templates;

/// <summary>Checks webhook templates when they are saved (docs/architecture.md, "Template rules"); every method returns readable messages, empty when valid.</summary>
public static partial class TemplateValidator
{
    /// <summary>
    /// A user whose every text field holds what breaks naive senders: quote, backslash, newline, tab, a control
    /// character, <c>{{$$</c>, CJK and an emoji. A body must render to valid JSON for this user.
    /// </summary>
    public static readonly UserEvent HostileSample = new(
        Guid.Parse("0b6c0a8e-1f3d-4c55-9e0b-7d2f1a4c8e21"),
        UserAction.Updated,
        new UserSnapshot(
            Id: "3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13",
            UserName: "o\"brien\\{{$$.Name$$}}",
            Email: "\"quoted\"@example.com",
            FirstName: "张伟\n\t🎉",
            LastName: "O'Brien \"\\\" }{ \u0001",
            Phone: "+86 138 0000 0000",
            Enabled: true,
            CreatedAt: new DateTime(2026, 11, 29, 9, 14, 41, DateTimeKind.Utc)),
        new DateTime(2026, 11, 29, 9, 14, 42, DateTimeKind.Utc),
        "203.0.113.7",
        ["Email", "Phone"]);

    /// <summary>Validates a Message Body template; empty means the default body and is valid.</summary>
    public static IReadOnlyList<string> ValidateBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return [];
        }

        if (Encoding.UTF8.GetByteCount(body) > Webhook.BodyMaxBytes)
        {
            return [UiText.Format("Message Body is larger than {0} KB.", Webhook.BodyMaxBytes / 1024)];
        }

        // Checked before JSON parsing, which throws on text UTF-8 cannot encode.
        if (TextRules.Problem("Message Body", body, multiLine: true) is { } problem)
        {
            return [problem];
        }

        var parsed = WebhookTemplate.Parse(body);
        if (parsed.Errors.Count > 0)
        {
            return parsed.Errors.Select(e => e.ToString()).ToList();
        }

        var rendered = TemplateRenderer.RenderBody(body, TemplateValues.For(HostileSample, "sample-client", "Sample webhook"));
        try
        {
            using var _ = JsonDocument.Parse(rendered);
            return [];
        }
        catch (JsonException ex)
        {
            if (TrailingComma(body, rendered, ex) is { } comma)
            {
                return [UiText.Format("Line {0}, column {1}: {2}", comma.Line, comma.Column,
                    UiText.Get("Message Body is not valid JSON: a comma follows the last property or item, which JSON does not allow; remove the comma."))];
            }

            // Escaped values add no line breaks, so the rendered line is the template's line.
            var line = (ex.LineNumber ?? 0) + 1;
            return [UiText.Format("Line {0}: Message Body is not valid JSON: {1}", line, DescribeJsonError(ex.Message))];
        }
    }

    /// <summary>
    /// Where the comma is (1-based line and column of <paramref name="template"/>) when <paramref name="error"/> stopped
    /// <paramref name="rendered"/> at a <c>}</c> or <c>]</c> that follows a comma and blanks only; null for any other error.
    /// The parser reports the bracket, often on the next line, but the comma is what to remove.
    /// </summary>
    private static (int Line, int Column)? TrailingComma(string template, string rendered, JsonException error)
    {
        if (error.LineNumber is not { } lineIndex || error.BytePositionInLine is not { } bytes)
        {
            return null;
        }

        var lines = rendered.Split('\n');
        if (lineIndex >= lines.Length)
        {
            return null;
        }

        var at = LineStart(lines, (int)lineIndex) + CharIndex(lines[lineIndex], (int)bytes);
        if (at >= rendered.Length || rendered[at] is not ('}' or ']'))
        {
            return null;
        }

        var comma = at - 1;
        while (comma >= 0 && char.IsWhiteSpace(rendered[comma]))
        {
            comma--;
        }

        if (comma < 0 || rendered[comma] != ',')
        {
            return null;
        }

        // Escaped values add no line breaks, so the comma's rendered line is its template line; only what follows the
        // comma (blanks, then the bracket) is sure to be literal, so the column is found in the template's line.
        var commaLine = rendered[..comma].Count(c => c == '\n');
        var templateLines = template.Split('\n');
        if (commaLine >= templateLines.Length)
        {
            return null;
        }

        var text = templateLines[commaLine];
        var lineEnd = rendered.IndexOf('\n', comma);
        var afterComma = rendered[(comma + 1)..(lineEnd >= 0 && lineEnd < at ? lineEnd : at + 1)];
        var column = text.TrimEnd('\r').LastIndexOf(',' + afterComma.TrimEnd('\r'), StringComparison.Ordinal);
        return column < 0 ? null : (commaLine + 1, column + 1);
    }

    private static int LineStart(string[] lines, int index) => lines.Take(index).Sum(l => l.Length + 1);

    // The reader counts UTF-8 bytes within the line; the text is indexed by UTF-16 chars.
    private static int CharIndex(string line, int bytes)
    {
        var index = 0;
        for (var counted = 0; index < line.Length && counted < bytes; index++)
        {
            counted += char.IsSurrogate(line[index]) ? 2 : Encoding.UTF8.GetByteCount(line[index].ToString());
        }

        return index;
    }

    /// <summary>Validates a URL template: required, at most 2048 characters, absolute http or https, known variables.</summary>
    public static IReadOnlyList<string> ValidateUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return [UiText.Get("URL is required.")];
        }

        if (url.Length > Webhook.UrlMaxLength)
        {
            return [UiText.Format("URL is longer than {0} characters.", Webhook.UrlMaxLength)];
        }

        if (TextRules.HasLoneSurrogate(url))
        {
            return [TextRules.Problem("URL", url)!];
        }

        var parsed = WebhookTemplate.Parse(url);
        if (parsed.Errors.Count > 0)
        {
            return parsed.Errors.Select(e => e.Message).ToList();
        }

        // Spaces are allowed inside a placeholder ({{$$ .Name $$}}), so only the literal text is checked.
        if (parsed.Segments.OfType<LiteralSegment>().Any(l => l.Text.Any(c => char.IsControl(c) || c == ' ')))
        {
            return [UiText.Get("URL must not contain spaces or control characters.")];
        }

        // A stray % would let the value that follows complete a percent-escape the administrator never wrote.
        if (parsed.Segments.OfType<LiteralSegment>().Any(l => HasStrayPercent(l.Text)))
        {
            return [UiText.Get("URL contains a % that does not start a percent-escape (%XX); write it as %25.")];
        }

        var literalHost = url.Split("://", 2) is [_, var rest] ? rest.Split('/', '?', '#')[0] : "";
        if (literalHost.Contains("{{", StringComparison.Ordinal))
        {
            return [UiText.Get("Variables are allowed in the URL's path and query, not in its host.")];
        }

        var rendered = TemplateRenderer.RenderUrl(url, TemplateValues.For(HostileSample, "sample-client", "Sample webhook"));
        if (!Uri.TryCreate(rendered, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return [UiText.Get("URL must be an absolute http:// or https:// address.")];
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return [UiText.Get("URL must name a host.")];
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return [UiText.Get("URL must not contain a user name or password; use a header instead.")];
        }

        return [];
    }

    private static bool HasStrayPercent(string text)
    {
        for (var i = text.IndexOf('%'); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    // The parser's wording for the mistakes people make most, in words that say what to fix.
    /// <summary>
    /// A System.Text.Json parse error as someone writing a body can act on it: the first sentence, without the reader's
    /// position and option hints, in the UI language where the error is a common one (otherwise .NET's English text).
    /// </summary>
    public static string DescribeJsonError(string message) => Explain(FirstSentence(message));

    private static string Explain(string message) => message switch
    {
        _ when InvalidStart().Match(message) is { Success: true } start =>
            UiText.Format("{0} cannot start a value here: a value is missing, or a character is out of place.", start.Groups[1].Value),
        _ when message.Contains("is invalid after a single JSON value", StringComparison.Ordinal) =>
            UiText.Get("there is more after the end of the JSON; the body must be a single JSON value (remove what follows its end)."),
        _ when message.Contains("Expected depth to be zero", StringComparison.Ordinal) =>
            UiText.Get("a { or [ is never closed; add the missing } or ]."),
        _ when message.Contains("Expected either ',', '}', or ']'", StringComparison.Ordinal) =>
            UiText.Get("a comma is missing between two values, or a } or ] is misplaced.") + " (" + message + ")",
        _ => message,
    };

    [GeneratedRegex(@"^('.+') is an invalid start of a value\.?$")]
    private static partial Regex InvalidStart();

    // System.Text.Json appends its own position and reader-option hints, which mean nothing to someone writing a body.
    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:", " Change the reader options." })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd();
    }
}
