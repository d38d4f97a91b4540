namespace WebhookPortal.Common;

/// <summary>SQL LIKE patterns for search boxes: case-insensitive for ASCII in SQLite, with the user's % and _ taken literally.</summary>
public static class SearchPattern
{
    /// <summary>The escape character used by <see cref="Contains"/>; pass it to <c>EF.Functions.Like</c>.</summary>
    public const string Escape = "\\";

    /// <summary>
    /// A pattern that matches no text at all: SQLite's LIKE fails a pattern that ends in its escape character, since there is
    /// no character left to take literally.
    /// </summary>
    public const string Nothing = Escape;

    /// <summary>
    /// More characters than any searched text holds: client IDs (64), names and e-mail addresses (at most 256), client
    /// descriptions (500), audit subjects built from those.
    /// </summary>
    public const int LongestSearchedText = 1000;

    /// <summary>
    /// A pattern matching any text that contains <paramref name="text"/>; <see cref="Nothing"/> when the text holds a NUL or
    /// is longer than <see cref="LongestSearchedText"/>. SQLite's LIKE reads a pattern only up to its first NUL, so
    /// <c>%NUL%</c> would be <c>%</c> and match every row, and it refuses a long pattern as "too complex"; no searched
    /// column holds either, so neither can match anything.
    /// </summary>
    public static string Contains(string text) =>
        text.Length > LongestSearchedText || text.Contains('\0', StringComparison.Ordinal)
            ? Nothing
            : "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
