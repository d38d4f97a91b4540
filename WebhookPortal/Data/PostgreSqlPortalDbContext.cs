using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Data;

/// <summary>
/// <see cref="PortalDbContext"/> on PostgreSQL: the same model with PostgreSQL's types where SQLite's do not exist, and its
/// own migrations (Data/Migrations/PostgreSql), which EF Core finds by this context type. Callers still ask for
/// <c>IDbContextFactory&lt;PortalDbContext&gt;</c>; <see cref="DataExtensions.AddPortalData"/> makes it return this type.
/// </summary>
public sealed class PostgreSqlPortalDbContext(DbContextOptions<PortalDbContext> options) : PortalDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQLite's NOCASE has no PostgreSQL collation that also allows LIKE (nondeterministic collations refuse it before
        // PostgreSQL 18); citext compares, indexes and matches LIKE patterns case-insensitively, so "Portal" and "portal"
        // stay one client and the search finds either.
        builder.HasPostgresExtension("citext");
        builder.Entity<Client>().Property(c => c.ClientId).UseCollation(null).HasColumnType("citext");
        // Stored sealed (SecretProtector): Data Protection's output is far longer than the secret the limit was set for.
        // SQLite never enforced these lengths; PostgreSQL would refuse the sealed values.
        var webhook = builder.Entity<Webhook>();
        webhook.Property(w => w.SigningSecret).Metadata.SetMaxLength(null);
        webhook.Property(w => w.PreviousSigningSecret).Metadata.SetMaxLength(null);
        webhook.Property(w => w.RobotSecret).Metadata.SetMaxLength(null);
    }
}
