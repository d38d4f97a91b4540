namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// A class fixture: an empty database of its own on the shared <see cref="PostgreSqlCluster"/>, dropped after the class
/// (and the server stopped when no other class uses it).
/// A test that cannot reach PostgreSQL fails with the reason (never skipped).
/// </summary>
public sealed class PostgreSqlDatabase : IAsyncLifetime
{
    private PostgreSqlCluster? cluster;
    private string? name;

    /// <summary>The server, for tests that need further databases (<see cref="PostgreSqlCluster.CreateDatabaseAsync"/>).</summary>
    public PostgreSqlCluster Cluster => cluster ?? throw new InvalidOperationException("The PostgreSQL server did not start.");

    /// <summary>The Npgsql connection string of this class's database.</summary>
    public string ConnectionString => Cluster.ConnectionString(name ?? throw new InvalidOperationException("The database was not created."));

    public async Task InitializeAsync()
    {
        cluster = await PostgreSqlCluster.AcquireAsync();
        name = await Cluster.CreateDatabaseAsync("portal");
    }

    public async Task DisposeAsync()
    {
        if (cluster is null)
        {
            return;
        }

        try
        {
            if (name is not null)
            {
                await Cluster.DropDatabaseAsync(name);
            }
        }
        finally
        {
            await PostgreSqlCluster.ReleaseAsync();
        }
    }
}
