using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WebhookPortal.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgreSqlPortalDbContext</c> build the PostgreSQL model without a server
/// (adding a migration never connects).
/// </summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlPortalDbContext>
{
    /// <inheritdoc />
    public PostgreSqlPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql("Host=localhost;Database=portal").Options);
}
