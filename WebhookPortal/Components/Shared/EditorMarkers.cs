using System.Text.RegularExpressions;

namespace WebhookPortal.Components.Shared;

/// <summary>Turns validator messages that start with a position into <see cref="EditorMarker"/>s.</summary>
public static partial class EditorMarkers
{
    /// <summary>
    /// Markers for the messages that start with "Line N, column M:" (template errors, marked over the variable they name)
    /// or "Line N:" (JSON errors, the whole line); other messages get none.
    /// </summary>
    public static IReadOnlyList<EditorMarker> FromMessages(string text, IEnumerable<string> messages)
    {
        var lines = text.Split('\n');
        var markers = new List<EditorMarker>();
        foreach (var message in messages)
        {
            var match = Position().Match(message);
            if (!match.Success)
            {
                continue;
            }

            var line = int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var reason = message[match.Length..];
            if (!match.Groups["column"].Success)
            {
                markers.Add(new EditorMarker(line, 1, reason));
                continue;
            }

            var column = int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var content = line - 1 < lines.Length ? lines[line - 1].TrimEnd('\r') : "";
            // A variable ends at its "}}"; anything else gets a two-character mark that Monaco can show.
            var close = column - 1 < content.Length && content.AsSpan(column - 1).StartsWith("{{")
                ? content.IndexOf("}}", column - 1, StringComparison.Ordinal)
                : -1;
            markers.Add(new EditorMarker(line, column, reason, close >= 0 ? close + 3 : column + 2));
        }

        return markers;
    }

    [GeneratedRegex(@"^Line (?<line>\d+)(, column (?<column>\d+))?: ", RegexOptions.CultureInvariant)]
    private static partial Regex Position();
}
