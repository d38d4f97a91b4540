using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Inbox;
using WebhookPortal.Features.Sso;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Data;

/// <summary>
/// The portal's database: Identity's and OpenIddict's tables plus clients, webhooks, the delivery outbox, the inbox, and the
/// Data Protection key ring that encrypts the stored secrets and the sign-in cookies.
/// </summary>
/// <remarks>
/// This type is the SQLite database; on PostgreSQL the factory makes a <see cref="PostgreSqlPortalDbContext"/>, which has
/// migrations of its own. Add a migration to both sets with
/// <c>dotnet ef migrations add NAME --project WebhookPortal --context PortalDbContext --output-dir Data/Migrations</c> and
/// <c>dotnet ef migrations add NAME --project WebhookPortal --context PostgreSqlPortalDbContext --output-dir Data/Migrations/PostgreSql</c>
/// (install the tool with <c>dotnet tool install -g dotnet-ef --version 10.0.12</c>). Migrations are applied at start-up.
/// </remarks>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<UserSequence> UserSequences => Set<UserSequence>();
    public DbSet<RatePermit> RatePermits => Set<RatePermit>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<SsoKey> SsoKeys => Set<SsoKey>();

    /// <summary>The Data Protection key ring shared by every instance on this database (one XML element a row).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // OpenIddict's applications, authorizations, scopes and tokens: the single sign-on provider's state.
        builder.UseOpenIddict();
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        TextSearch.Map(builder, Database.IsPostgreSql());
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite keeps no time zone: every DateTime is stored as UTC text and read back with Kind = Utc.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
