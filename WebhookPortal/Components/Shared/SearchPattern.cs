namespace WebhookPortal.Components.Shared;

/// <summary>SQL LIKE patterns for search boxes: case-insensitive for ASCII in SQLite, with the user's % and _ taken literally.</summary>
public static class SearchPattern
{
    /// <summary>The escape character used by <see cref="Contains"/>; pass it to <c>EF.Functions.Like</c>.</summary>
    public const string Escape = "\\";

    /// <summary>
    /// More characters than any searched text holds: client IDs (64), names and e-mail addresses (at most 256), client
    /// descriptions (500), audit subjects built from those.
    /// </summary>
    public const int LongestSearchedText = 1000;

    // As many single-character wildcards as that plus one: a pattern that no searched text is long enough to match.
    private static readonly string NoMatch = new('_', LongestSearchedText + 1);

    /// <summary>
    /// A pattern matching any text that contains <paramref name="text"/>. SQLite refuses a LIKE pattern over 50,000 bytes
    /// and reads one only up to a NUL character (which would make "a\0b" match everything ending in "a"); neither a text
    /// longer than <see cref="LongestSearchedText"/> nor one holding NUL occurs in a searched column, so both get a
    /// pattern that matches nothing.
    /// </summary>
    public static string Contains(string text) =>
        text.Length > LongestSearchedText || text.Contains('\0', StringComparison.Ordinal)
            ? NoMatch
            : "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
