using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebhookPortal.Data;

/// <summary>
/// Gives every SQLite connection a busy timeout, so a writer that finds the database locked waits inside SQLite (retrying
/// within a millisecond or so of the lock being released) instead of failing back to Microsoft.Data.Sqlite, whose own retry
/// sleeps 150 ms between tries. With the dispatcher's concurrent attempts all recording at once, those sleeps were most of
/// a delivery's time (docs/benchmarks.md).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    /// <summary>As long as Microsoft.Data.Sqlite's default command timeout (30 s).</summary>
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    /// <inheritdoc />
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
