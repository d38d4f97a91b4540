using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary><see cref="DatabaseRatePermitsContract"/> on PostgreSQL, where several instances share the count.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DatabaseRatePermitsOnPostgreSqlTests(PostgreSqlDatabase database) : DatabaseRatePermitsContract, IClassFixture<PostgreSqlDatabase>, IAsyncLifetime
{
    private PortalFactory? host;

    /// <inheritdoc />
    protected override PortalFactory Host => host ?? throw new InvalidOperationException("The host has not started.");

    public Task InitializeAsync()
    {
        host = PortalFactory.CreateOnPostgreSql(database.ConnectionString);
        // Started (and migrated) before the test uses its database.
        host.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}
