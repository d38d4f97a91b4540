using System.Text;
using System.Text.Json;

namespace WebhookPortal.Common;

/// <summary>Formatting of JSON for display.</summary>
public static class JsonText
{
    private const string Indent = "  ";

    /// <summary>
    /// Indents <paramref name="text"/> when it is valid JSON, two spaces a level; returns it unchanged otherwise. Only the
    /// whitespace between tokens changes: strings and numbers stay exactly as sent (a re-serializer would turn emoji into
    /// <c>\uD83D\uDE00</c> and misstate what the receiver got).
    /// </summary>
    public static string Pretty(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return text;
        }

        var output = new StringBuilder(text.Length + text.Length / 4);
        var depth = 0;
        var inString = false;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                output.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    output.Append(c);
                    break;
                case '{' or '[':
                    var next = NextToken(text, i + 1);
                    if (next < text.Length && text[next] == (c == '{' ? '}' : ']'))
                    {
                        output.Append(c).Append(text[next]);
                        i = next;
                        break;
                    }

                    output.Append(c);
                    NewLine(output, ++depth);
                    break;
                case '}' or ']':
                    NewLine(output, --depth);
                    output.Append(c);
                    break;
                case ',':
                    output.Append(c);
                    NewLine(output, depth);
                    break;
                case ':':
                    output.Append(": ");
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    private static int NextToken(string text, int from)
    {
        while (from < text.Length && text[from] is ' ' or '\t' or '\r' or '\n')
        {
            from++;
        }

        return from;
    }

    private static void NewLine(StringBuilder output, int depth)
    {
        output.Append('\n');
        for (var i = 0; i < depth; i++)
        {
            output.Append(Indent);
        }
    }
}
