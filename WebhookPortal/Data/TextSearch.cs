using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace WebhookPortal.Data;

/// <summary>
/// What a search box matches, the same on SQLite and PostgreSQL: in a query, <c>TextSearch.Matches(column, TextSearch.Pattern(text))</c>
/// is true when the column contains the text without regard to case, the user's <c>%</c>, <c>_</c> and <c>\</c> taken literally.
/// SQLite's LIKE folds the case of ASCII letters; PostgreSQL's LIKE folds none, so there both sides are lowered first
/// (which folds every letter). Text that no searched column can hold (a NUL, more than <see cref="LongestSearchedText"/>
/// characters) matches nothing, on either engine, without reaching it: PostgreSQL refuses a NUL in any text parameter.
/// </summary>
public static class TextSearch
{
    /// <summary>The LIKE escape character of <see cref="Pattern"/>'s patterns (also PostgreSQL's default).</summary>
    public const string Escape = "\\";

    /// <summary>
    /// More characters than any searched text holds: client IDs (64), names and e-mail addresses (at most 256), client
    /// descriptions (500), audit subjects built from those. SQLite refuses longer patterns as "too complex".
    /// </summary>
    public const int LongestSearchedText = 1000;

    /// <summary>
    /// The LIKE pattern of every text that contains <paramref name="text"/> (e.g. <c>%100\%%</c> for <c>100%</c>), for
    /// <see cref="Matches"/>; null, which matches nothing, when the text holds a NUL or is longer than
    /// <see cref="LongestSearchedText"/>.
    /// </summary>
    public static string? Pattern(string text) =>
        text.Length > LongestSearchedText || text.Contains('\0', StringComparison.Ordinal)
            ? null
            : "%" + text.Replace(Escape, Escape + Escape, StringComparison.Ordinal).Replace("%", Escape + "%", StringComparison.Ordinal)
                .Replace("_", Escape + "_", StringComparison.Ordinal) + "%";

    /// <summary>
    /// In a LINQ to Entities query only: whether <paramref name="text"/> matches <paramref name="pattern"/> (from
    /// <see cref="Pattern"/>) without regard to case; false when either is null. Throws <see cref="InvalidOperationException"/>
    /// when called outside a query.
    /// </summary>
    public static bool Matches(string? text, string? pattern) =>
        throw new InvalidOperationException($"{nameof(TextSearch)}.{nameof(Matches)} runs only inside a database query.");

    /// <summary>Maps <see cref="Matches"/> to SQL for the engine of <paramref name="postgreSql"/>.</summary>
    internal static void Map(ModelBuilder builder, bool postgreSql)
    {
        var matches = typeof(TextSearch).GetMethod(nameof(Matches))!;
        builder.HasDbFunction(matches).HasTranslation(arguments =>
        {
            var (text, pattern) = (arguments[0], arguments[1]);
            if (postgreSql)
            {
                (text, pattern) = (Lower(text), Lower(pattern));
            }

            return new LikeExpression(text, pattern, new SqlConstantExpression(Escape, pattern.TypeMapping), BoolTypeMapping.Default);
        });
    }

    private static SqlFunctionExpression Lower(SqlExpression argument) =>
        new("lower", [argument], nullable: true, argumentsPropagateNullability: [true], typeof(string), argument.TypeMapping);
}
