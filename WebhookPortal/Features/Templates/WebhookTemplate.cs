using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Templates;

/// <summary>
/// A parsed template: literal text and <c>{{$$.Field$$}}</c> placeholders (spaces allowed inside; rules in docs/architecture.md).
/// Parsing never throws; problems are collected in <see cref="Errors"/> with 1-based line and column.
/// </summary>
public sealed partial class WebhookTemplate
{
    private WebhookTemplate(IReadOnlyList<TemplateSegment> segments, IReadOnlyList<TemplateError> errors)
    {
        Segments = segments;
        Errors = errors;
    }

    /// <summary>Most errors reported for one template; past that the rest are noise.</summary>
    public const int MaxErrors = 20;

    /// <summary>Literals and placeholders in template order.</summary>
    public IReadOnlyList<TemplateSegment> Segments { get; }

    /// <summary>Malformed placeholders and unknown fields; empty for a usable template.</summary>
    public IReadOnlyList<TemplateError> Errors { get; }

    /// <summary>Splits <paramref name="text"/> into segments, noting for each placeholder whether it sits inside a JSON string literal.</summary>
    public static WebhookTemplate Parse(string text)
    {
        var segments = new List<TemplateSegment>();
        var errors = new List<TemplateError>();
        var literal = new StringBuilder();
        bool inString = false, escaped = false;
        int line = 1, column = 1;

        for (var i = 0; i < text.Length;)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{' && StartsPlaceholder(text, i + 2))
            {
                var match = Placeholder().Match(text, i);
                if (match.Success && match.Index == i)
                {
                    if (literal.Length > 0)
                    {
                        segments.Add(new LiteralSegment(literal.ToString()));
                        literal.Clear();
                    }

                    var name = match.Groups["name"].Value;
                    segments.Add(new FieldSegment(name, line, column, inString));
                    if (inString && escaped)
                    {
                        // The value's first character would complete the escape: "\{{$$.Enabled$$}}" becomes a tab and "rue".
                        errors.Add(TemplateError.Of(new CodedMessage(MessageCodes.TemplateBackslash), line, column));
                    }

                    if (TemplateFields.Find(name) is null)
                    {
                        var suggestion = TemplateFields.Suggest(name);
                        errors.Add(TemplateError.Of(
                            suggestion is null
                                ? new CodedMessage(MessageCodes.TemplateUnknownVariable, "{{$$." + name + "$$}}")
                                : new CodedMessage(MessageCodes.TemplateDidYouMean, "{{$$." + name + "$$}}", "{{$$." + suggestion + "$$}}"),
                            line, column));
                    }

                    escaped = false;
                    // A placeholder may span lines ({{$$\n.Name\n$$}}); keep the position of what follows right.
                    var newlines = match.Value.Count(ch => ch == '\n');
                    if (newlines > 0)
                    {
                        line += newlines;
                        column = match.Length - match.Value.LastIndexOf('\n');
                    }
                    else
                    {
                        column += match.Length;
                    }

                    i += match.Length;
                    continue;
                }

                errors.Add(TemplateError.Of(new CodedMessage(MessageCodes.TemplateMalformed), line, column));
            }

            if (errors.Count >= MaxErrors)
            {
                errors.Add(TemplateError.Of(new CodedMessage(MessageCodes.TemplateTooMany, MaxErrors.ToString(CultureInfo.InvariantCulture)), 0, 0));
                break;
            }

            var c = text[i];
            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            }
            else if (c == '"')
            {
                inString = true;
            }

            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }

            literal.Append(c);
            i++;
        }

        if (literal.Length > 0)
        {
            segments.Add(new LiteralSegment(literal.ToString()));
        }

        return new WebhookTemplate(segments, errors);
    }

    /// <summary>Names of the fields the template uses, each once, in order of first use.</summary>
    public IEnumerable<string> FieldNames => Segments.OfType<FieldSegment>().Select(f => f.Name).Distinct();

    private static bool StartsPlaceholder(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i + 1 < text.Length && text[i] == '$' && text[i + 1] == '$';
    }

    [GeneratedRegex(@"\G\{\{\s*\$\$\s*\.\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\$\$\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
