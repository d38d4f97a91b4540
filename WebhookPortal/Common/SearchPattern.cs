namespace WebhookPortal.Common;

/// <summary>SQL LIKE patterns for search boxes: case-insensitive for ASCII in SQLite, with the user's % and _ taken literally.</summary>
public static class SearchPattern
{
    /// <summary>The escape character used by <see cref="Contains"/>; pass it to <c>EF.Functions.Like</c>.</summary>
    public const string Escape = "\\";

    /// <summary>A pattern matching any text that contains <paramref name="text"/>.</summary>
    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
