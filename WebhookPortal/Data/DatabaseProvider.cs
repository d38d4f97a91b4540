using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace WebhookPortal.Data;

/// <summary>
/// The database engines the portal runs on, chosen by <c>Database:Provider</c> (<see cref="Section"/>): <see cref="Sqlite"/>
/// (the default) or <see cref="PostgreSql"/>, both with the connection string <c>ConnectionStrings:Portal</c>.
/// </summary>
public static class DatabaseProvider
{
    /// <summary>The setting that names the provider.</summary>
    public const string Section = "Database:Provider";

    /// <summary>One SQLite file; one instance at a time.</summary>
    public const string Sqlite = "Sqlite";

    /// <summary>A PostgreSQL database (PostgreSQL 15 or later), which several instances may share.</summary>
    public const string PostgreSql = "PostgreSQL";

    /// <summary>
    /// Whether <paramref name="configured"/> (the setting's value; null or empty for the default) means PostgreSQL.
    /// Throws <see cref="InvalidOperationException"/> for any other name than the two, whatever its case.
    /// </summary>
    public static bool IsPostgreSqlSetting(string? configured) => configured switch
    {
        null or "" => false,
        _ when string.Equals(configured, Sqlite, StringComparison.OrdinalIgnoreCase) => false,
        _ when string.Equals(configured, PostgreSql, StringComparison.OrdinalIgnoreCase) => true,
        _ => throw new InvalidOperationException($"{Section} is \"{configured}\"; use \"{Sqlite}\" or \"{PostgreSql}\"."),
    };

    /// <summary>Whether <paramref name="configuration"/>'s <see cref="Section"/> chooses PostgreSQL (see <see cref="IsPostgreSqlSetting"/>).</summary>
    public static bool IsPostgreSql(this Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        IsPostgreSqlSetting(configuration[Section]);

    /// <summary>Whether the context runs on PostgreSQL (Npgsql), for the few statements written for each engine.</summary>
    public static bool IsPostgreSql(this DatabaseFacade database) => database.IsNpgsql();

    /// <summary>
    /// Whether the save failed on a constraint (a unique index, a foreign key, NOT NULL): SQLite's error 19, PostgreSQL's
    /// class 23 (integrity constraint violation).
    /// </summary>
    public static bool IsConstraintViolation(this DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        PostgresException postgres => postgres.SqlState.StartsWith("23", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="exception"/> is the database's own failure — unreachable, a missing table, a locked file — on
    /// either engine (<see cref="SqliteException"/>, <see cref="NpgsqlException"/> and <see cref="PostgresException"/> are all
    /// <see cref="DbException"/>s), so callers outside this folder never name a provider's exception types.
    /// </summary>
    public static bool IsDatabaseFailure(this Exception exception) => exception is DbException;
}
