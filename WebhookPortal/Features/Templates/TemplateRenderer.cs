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

    /// <summary>Renders a Message Body; an empty or blank template renders <see cref="DefaultBody"/>.</summary>
    /// <exception cref="TemplateException">The template has errors (malformed or unknown variables).</exception>
    public static string RenderBody(string? template, TemplateValues values)
    {
        var parsed = WebhookTemplate.Parse(string.IsNullOrWhiteSpace(template) ? DefaultBody : template);
        ThrowIfInvalid(parsed);
        var output = new StringBuilder();
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
        for (var i = 0; i < value.Length; i++)
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
        var parsed = WebhookTemplate.Parse(template);
        ThrowIfInvalid(parsed);
        var output = new StringBuilder();
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

    private static void ThrowIfInvalid(WebhookTemplate parsed)
    {
        if (parsed.Errors.Count > 0)
        {
            throw new TemplateException(parsed.Errors);
        }
    }
}
