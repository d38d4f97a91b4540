using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// A MudBlazor bUnit context over a real, migrated SQLite file of its own (deleted afterwards), with the services the
/// portal's pages inject: the context factory, Identity's stores with the app's options, the outbox notifier and feeds.
/// </summary>
public abstract class PortalDatabaseContext : MudBunitContext
{
    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"webhookportal-bunit-{Guid.NewGuid():N}.db");

    protected PortalDatabaseContext()
    {
        var connectionString = DataExtensions.ResolveConnectionString($"Data Source={databasePath}", Path.GetTempPath());
        Services.AddLogging();
        Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Services.AddDbContextFactory<PortalDbContext>(options => options.UseSqlite(connectionString));
        Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        // The Identity options shape the model the migrations were made for (schema version 3), so even pages that do
        // not use Identity need them to migrate.
        Services.AddPortalIdentityCore();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<DeliverySignal>();
        Services.AddSingleton<DeliveryFeed>();
        Services.AddScoped<IUserEventNotifier, OutboxUserEventNotifier>();
        Services.AddHttpContextAccessor();
        // Read when the options are first used, so a test can turn the SSRF guard on before rendering.
        Services.AddOptions<NetworkOptions>().Configure(o => o.AllowPrivateNetworks = AllowPrivateNetworks);
        Services.AddSingleton<NetworkGuard>();
        Services.AddSingleton<WebhookPortal.Features.Webhooks.SecretProtector>();
        Services.AddScoped<WebhookPortal.Features.Audit.CurrentActor>();
        // Send test talks real HTTP through the real sender; no quick retries, so a dead receiver answers at once.
        Services.AddMetrics();
        Services.AddOptions<DeliveryOptions>().Configure(o => o.QuickRetries = 0);
        Services.AddSingleton<DecryptedSecrets>();
        Services.AddSingleton<WebhookSender>();
        Services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        Services.AddSingleton<DeliveryMetrics>();
        Services.AddSingleton<DeliveryStore, SqliteDeliveryStore>();
        Services.AddSingleton<DeliveryActions>();
        // The pages read and save through the same services as the API; clients are OpenIddict applications too.
        Services.AddOpenIddict().AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PortalDbContext>());
        Services.AddSingleton<WebhookPortal.Features.Clients.ClientAdministration>();
        Services.AddSingleton<WebhookPortal.Features.Webhooks.WebhookAdministration>();
        Services.AddSingleton<DeliveryQueries>();
        Services.AddSingleton<WebhookPortal.Features.Dashboard.DashboardQueries>();
        Services.AddSingleton<WebhookPortal.Features.Audit.AuditQueries>();
        Services.AddSingleton<WebhookPortal.Features.Inbox.InboxStore>();
        // The pages show their change buttons to administrators only; a test that is about an auditor changes the roles.
        Authorization = AddAuthorization();
        Authorization.SetAuthorized("admin");
        Authorization.SetRoles(PortalRoles.Administrator);
    }

    /// <summary>The signed-in user the pages see: an administrator named admin unless a test sets otherwise.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Whether webhooks may point at private addresses, as in Development; set false before rendering to test the SSRF guard.</summary>
    protected bool AllowPrivateNetworks { get; set; } = true;

    /// <summary>Migrates the database; derived classes seed after calling this.</summary>
    public override async Task InitializeAsync()
    {
        await using var db = await NewDbContextAsync();
        await db.Database.MigrateAsync();
    }

    protected async Task<PortalDbContext> NewDbContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    /// <summary>The text of every toast on screen, joined with " | ".</summary>
    protected static string Toasts(IRenderedComponent<MudProviders> cut) =>
        string.Join(" | ", cut.FindAll(".mud-snackbar").Select(s => s.TextContent.Trim()));

    /// <summary>A webhook watching Created toward an unreachable loopback port, for seeding.</summary>
    protected static Webhook NewWebhook(string name, DateTime now) => new()
    {
        Name = name, Actions = UserAction.Created, Url = "http://127.0.0.1:9/" + name.Replace(' ', '-'), CreatedAt = now, UpdatedAt = now,
    };

    /// <summary>
    /// Adds a delivery of the webhook named <paramref name="webhookName"/> in <paramref name="status"/>, created at
    /// <paramref name="createdAt"/> (UTC; now when null); a pending one is due an hour later.
    /// </summary>
    protected async Task<Guid> AddDeliveryAsync(string webhookName, DeliveryStatus status, DateTime? createdAt = null)
    {
        await using var db = await NewDbContextAsync();
        var webhook = await db.Webhooks.Include(w => w.Client).SingleAsync(w => w.Name == webhookName);
        var now = createdAt ?? DateTime.UtcNow;
        var delivery = new Delivery
        {
            Id = Guid.NewGuid(), WebhookId = webhook.Id, ClientId = webhook.Client!.ClientId, WebhookName = webhook.Name,
            EventId = Guid.NewGuid(), Action = UserAction.Created, EventType = "user.created", UserId = "u1", UserName = "user01",
            Url = webhook.Url, Status = status, CreatedAt = now,
            NextAttemptAt = status == DeliveryStatus.Pending ? now.AddHours(1) : null,
            CompletedAt = status == DeliveryStatus.Pending ? null : now,
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(databasePath + suffix);
        }
    }
}
