using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add --context PortalDbContext</c> build the SQLite model: without a factory of its own the
/// tools take <see cref="PostgreSqlDesignTimeFactory"/> (whose context derives from this one) and write a PostgreSQL
/// migration into the SQLite set. Identity's options come from the app's own registration, as there.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    /// <inheritdoc />
    public PortalDbContext CreateDbContext(string[] args)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPortalIdentityCore();
        return new(new DbContextOptionsBuilder<PortalDbContext>()
            .UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(services.BuildServiceProvider())
            .Options);
    }
}
