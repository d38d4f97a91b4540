using Microsoft.EntityFrameworkCore;

namespace WebhookPortal.Data;

/// <summary>Hands out <see cref="PostgreSqlPortalDbContext"/> to everything that asks for a <see cref="PortalDbContext"/>.</summary>
internal sealed class PostgreSqlContextFactory(DbContextOptions<PortalDbContext> options) : IDbContextFactory<PortalDbContext>
{
    /// <inheritdoc />
    public PortalDbContext CreateDbContext() => new PostgreSqlPortalDbContext(options);
}
