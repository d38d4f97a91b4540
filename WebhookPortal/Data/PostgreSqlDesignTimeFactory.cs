using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgreSqlPortalDbContext</c> build the PostgreSQL model without a server
/// (adding a migration never connects). Identity's options come from the app's own registration, since they shape the
/// model (schema version 3 adds the passkeys table).
/// </summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    /// <inheritdoc />
    public PostgreSqlPortalDbContext CreateDbContext(string[] args)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPortalIdentityCore();
        return new(new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql("Host=localhost;Database=portal")
            .UseApplicationServiceProvider(services.BuildServiceProvider())
            .Options);
    }
}
