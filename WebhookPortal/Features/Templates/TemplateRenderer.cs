using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Templates;

/// <summary>
/// Fills templates (rules in docs/architecture.md, "Template rules"). In a body a value inside a JSON string literal is JSON-escaped, a bare value becomes a
/// JSON literal (<c>true</c>/<c>false</c> for boolean fields, a quoted string otherwise); non-ASCII stays UTF-8 text.
/// In a URL every value is percent-encoded (UTF-8). Values are never re-read as template text.
/// </summary>
public static class TemplateRenderer
{
    /// <summary>
    /// The Message Body used when a webhook's body is empty: the DCE 5.0 default, every value a string placeholder.
    /// </summary>
    public const string DefaultBody = """
        {
          "id": "{{$$.ID$$}}",
          "email": "{{$$.Email$$}}",
          "username": "{{$$.Name$$}}",
          "last_name": "{{$$.LastName$$}}",
          "first_name": "{{$$.FirstName$$}}",
          "created_at": "{{$$.CreatedAt$$}}",
          "enabled": "{{$$.Enabled$$}}"
        }
        """;

    // Most templates kept parsed; past it the cache starts over. A webhook's template is rendered for every event it gets.
    private const int ParsedCapacity = 256;

    private static readonly ConcurrentDictionary<string, WebhookTemplate> Parsed = new(StringComparer.Ordinal);

    // What a JSON string's inside cannot hold as it is: quote, backslash, controls, and surrogates (a lone one is escaped).
    private static readonly SearchValues<char> NeedsEscaping = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)) + "\"\\"
        + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    /// <summary>Renders a Message Body; an empty or blank template renders <see cref="DefaultBody"/>.</summary>
    /// <exception cref="TemplateException">The template has errors (malformed or unknown variables).</exception>
    public static string RenderBody(string? template, TemplateValues values)
    {
        var text = string.IsNullOrWhiteSpace(template) ? DefaultBody : template;
        var parsed = ParseValid(text);
        // Room for the template and values of the usual length, so the builder rarely grows.
        var output = new StringBuilder(text.Length + 256);
        foreach (var segment in parsed.Segments)
        {
            switch (segment)
            {
                case LiteralSegment literal:
                    output.Append(literal.Text);
                    break;
                case FieldSegment { InJsonString: true } field:
                    AppendJsonEscaped(output, values[field.Name]);
                    break;
                case FieldSegment field when TemplateFields.Find(field.Name)!.IsBoolean:
                    output.Append(values[field.Name]);
                    break;
                case FieldSegment field:
                    output.Append('"');
                    AppendJsonEscaped(output, values[field.Name]);
                    output.Append('"');
                    break;
            }
        }

        return output.ToString();
    }

    /// <summary>Renders a URL template, percent-encoding each value.</summary>
    /// <exception cref="TemplateException">The template has errors.</exception>
    public static string RenderUrl(string template, TemplateValues values) => RenderText(template, value => Uri.EscapeDataString(value), values);

    /// <summary>Renders a header value template: values are inserted as they are (headers have no escaping).</summary>
    /// <exception cref="TemplateException">
    /// The template has errors, or the rendered value holds a control character (a line break in a user's field would
    /// otherwise split the header into two).
    /// </exception>
    public static string RenderHeaderValue(string template, TemplateValues values)
    {
        var text = RenderText(template, value => value, values);
        if (WebhookPortal.Features.Webhooks.WebhookHeaders.HasControlCharacter(text))
        {
            throw new TemplateException([TemplateError.Of(new CodedMessage(MessageCodes.TemplateHeaderControl), 0, 0)]);
        }

        return text;
    }

    /// <summary>
    /// Appends <paramref name="value"/> escaped for the inside of a JSON string (RFC 8259 §7): quote, backslash and
    /// control characters escaped, lone surrogates as <c>\uXXXX</c>, everything else (CJK, emoji) literal.
    /// </summary>
    public static void AppendJsonEscaped(StringBuilder output, string value)
    {
        // Most values need no escaping at all: everything up to the first character that does is appended at once.
        var clean = value.AsSpan().IndexOfAny(NeedsEscaping);
        if (clean < 0)
        {
            output.Append(value);
            return;
        }

        output.Append(value, 0, clean);
        for (var i = clean; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        AppendUnicodeEscape(output, c);
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        output.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        AppendUnicodeEscape(output, c);
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }
    }

    // A template outside JSON: literal text as written, each value through encode.
    private static string RenderText(string template, Func<string, string> encode, TemplateValues values)
    {
        var parsed = ParseValid(template);
        var output = new StringBuilder(template.Length + 64);
        foreach (var segment in parsed.Segments)
        {
            output.Append(segment switch
            {
                LiteralSegment literal => literal.Text,
                FieldSegment field => encode(values[field.Name]),
                _ => "",
            });
        }

        return output.ToString();
    }

    private static void AppendUnicodeEscape(StringBuilder output, char c) =>
        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));

    // The parsed template, from the cache when it was rendered before; only templates without errors are kept (their
    // errors are parsed again, each time in the language of the moment).
    private static WebhookTemplate ParseValid(string template)
    {
        if (Parsed.TryGetValue(template, out var parsed))
        {
            return parsed;
        }

        parsed = WebhookTemplate.Parse(template);
        if (parsed.Errors.Count > 0)
        {
            throw new TemplateException(parsed.Errors);
        }

        if (Parsed.Count >= ParsedCapacity)
        {
            Parsed.Clear();
        }

        Parsed[template] = parsed;
        return parsed;
    }
}
