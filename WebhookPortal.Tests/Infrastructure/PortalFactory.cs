using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookPortal.Data;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// Hosts the real portal (environment Development) on its own SQLite file in a temp folder (or on PostgreSQL, see
/// <see cref="CreateOnPostgreSql"/>), with an administrator and
/// delivery settings fast enough for tests: poll 200 ms, no quick retries, retry schedule 0.5 s × 2, attempt timeout 5 s.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    public const string AdminUserName = "admin";
    public const string AdminEmail = "admin@portal.test";
    public const string AdminPassword = "Admin-Passw0rd!";

    /// <summary>The settings every test host gets; <see cref="Create"/> can override or add to them.</summary>
    public static IReadOnlyDictionary<string, string?> DefaultSettings { get; } = new Dictionary<string, string?>
    {
        ["Admin:UserName"] = AdminUserName,
        ["Admin:Email"] = AdminEmail,
        ["Admin:Password"] = AdminPassword,
        ["Webhooks:Delivery:PollInterval"] = "00:00:00.200",
        ["Webhooks:Delivery:QuickRetries"] = "0",
        ["Webhooks:Delivery:RetrySchedule:0"] = "00:00:00.500",
        ["Webhooks:Delivery:RetrySchedule:1"] = "00:00:00.500",
        // No jitter, so a scheduled retry lands exactly one schedule step after its attempt.
        ["Webhooks:Delivery:RetryJitter"] = "0",
        // Tests call DeliveryRetention.PurgeAsync themselves; the daily purge never runs behind their back.
        ["Webhooks:Delivery:PurgeStartDelay"] = "1.00:00:00",
        ["Webhooks:Delivery:AttemptTimeout"] = "00:00:05",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        // The portal's own lines at every level, so the secret check on dispose reads all that it could ever log.
        ["Logging:LogLevel:WebhookPortal"] = "Debug",
        // Development keeps data-protection keys unencrypted on disk; its warning about that is noise here.
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    private readonly TempDirectory? ownedDirectory;
    private readonly Dictionary<string, string?> settings;
    private TimeProvider? time;
    private bool onKestrel;
    private bool built;

    /// <summary>A host on a fresh database of its own, deleted on dispose (the constructor xunit uses for class fixtures).</summary>
    public PortalFactory()
        : this(new TempDirectory(), ownsDirectory: true, overrides: null)
    {
    }

    private PortalFactory(TempDirectory directory, bool ownsDirectory, IReadOnlyDictionary<string, string?>? overrides)
    {
        Directory = directory;
        ownedDirectory = ownsDirectory ? directory : null;
        settings = new Dictionary<string, string?>(DefaultSettings)
        {
            ["ConnectionStrings:Portal"] = directory.ConnectionString,
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        if (PostgreSqlByDefault && !settings.ContainsKey(DatabaseProvider.Section))
        {
            // Hosts on one folder share its database, as they share its SQLite file; the server outlives them all (process exit).
            var cluster = PostgreSqlCluster.AcquireAsync().GetAwaiter().GetResult();
            settings[DatabaseProvider.Section] = DatabaseProvider.PostgreSql;
            settings["ConnectionStrings:Portal"] = cluster.ConnectionString(cluster.DatabaseForAsync(directory.Path).GetAwaiter().GetResult());
            settings.TryAdd("DataProtection:KeysPath", Path.Combine(directory.Path, "keys"));
        }
    }

    /// <summary>
    /// Set to <c>PostgreSQL</c> to run every host that does not choose its provider on a PostgreSQL database (one per temp
    /// folder) instead of SQLite: a survey of what works there. Tests that open the SQLite file themselves fail in it.
    /// </summary>
    public const string ProviderVariable = "PORTAL_TEST_PROVIDER";

    /// <summary>Whether <see cref="ProviderVariable"/> puts hosts that do not choose their provider on PostgreSQL.</summary>
    public static bool PostgreSqlByDefault =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), DatabaseProvider.PostgreSql, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this host runs on PostgreSQL (chosen by its settings or by <see cref="ProviderVariable"/>), else SQLite.</summary>
    public bool IsOnPostgreSql => DatabaseProvider.IsPostgreSqlSetting(settings.GetValueOrDefault(DatabaseProvider.Section));

    /// <summary>
    /// A context on the database that hosts <see cref="Create"/>d on <paramref name="directory"/> use — its SQLite file, or its
    /// PostgreSQL database under <see cref="ProviderVariable"/> — without starting a host (e.g. to leave rows for the next
    /// one). The database must exist (a host ran on it); the caller disposes the context.
    /// </summary>
    public static async Task<PortalDbContext> OpenDatabaseAsync(TempDirectory directory)
    {
        if (!PostgreSqlByDefault)
        {
            return new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(directory.ConnectionString).Options);
        }

        var cluster = await PostgreSqlCluster.AcquireAsync();
        var connectionString = cluster.ConnectionString(await cluster.DatabaseForAsync(directory.Path));
        return new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(connectionString).Options);
    }

    /// <summary>
    /// A host on the database in <paramref name="directory"/> (which the caller owns and deletes), or on a fresh one
    /// when null; <paramref name="overrides"/> replace or add settings (e.g. a retry schedule); <paramref name="time"/>
    /// replaces the portal's clock (a FakeTimeProvider for expiries).
    /// </summary>
    public static PortalFactory Create(TempDirectory? directory = null, IReadOnlyDictionary<string, string?>? overrides = null, TimeProvider? time = null)
    {
        var factory = directory is null
            ? new PortalFactory(new TempDirectory(), ownsDirectory: true, overrides)
            : new PortalFactory(directory, ownsDirectory: false, overrides);
        factory.time = time;
        return factory;
    }

    /// <summary>
    /// A host on the PostgreSQL database at <paramref name="connectionString"/> (e.g. <see cref="PostgreSqlDatabase.ConnectionString"/>)
    /// instead of a SQLite file; its temp folder still holds the files the portal keeps beside its database. Several
    /// hosts on one connection string are several instances of the portal. <paramref name="overrides"/> as for <see cref="Create"/>.
    /// </summary>
    public static PortalFactory CreateOnPostgreSql(string connectionString, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var directory = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            [DatabaseProvider.Section] = DatabaseProvider.PostgreSql,
            ["ConnectionStrings:Portal"] = connectionString,
            // Never the source tree's App_Data: a developer's old key folder must not be imported into the test database.
            ["DataProtection:KeysPath"] = Path.Combine(directory.Path, "keys"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new PortalFactory(directory, ownsDirectory: true, settings);
    }

    /// <summary>
    /// A host on a fresh database that serves real HTTP with Kestrel on 127.0.0.1 (a free port) instead of the in-memory
    /// test server, so requests carry a real client address. Talk to it at <see cref="ServerAddress"/> (see
    /// <see cref="AccountClient.For"/>): the factory's own clients for Kestrel follow redirects whatever their options say.
    /// <paramref name="overrides"/> replace or add settings, as for <see cref="Create"/>.
    /// </summary>
    public static PortalFactory CreateOnKestrel(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var factory = new PortalFactory(new TempDirectory(), ownsDirectory: true, overrides) { onKestrel = true };
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        return factory;
    }

    /// <summary>Whether the host serves real HTTP (see <see cref="CreateOnKestrel"/>).</summary>
    public bool IsOnKestrel => onKestrel;

    /// <summary>
    /// Where clients reach the host: the Kestrel address for <see cref="CreateOnKestrel"/>, else the test server's
    /// <c>http://localhost/</c>. Starts the host.
    /// </summary>
    public Uri ServerAddress
    {
        get
        {
            if (!onKestrel)
            {
                return ClientOptions.BaseAddress;
            }

            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            return new Uri(addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no address."));
        }
    }

    /// <summary>Every line the host logs (at the configured levels).</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The folder holding the database file.</summary>
    public TempDirectory Directory { get; }

    /// <summary>A new context on the host's database (the host's own factory, so the host must be startable).</summary>
    public async Task<PortalDbContext> CreateDbContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        built = true;
        builder.UseEnvironment("Development");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (time is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// Stops the host and deletes its folder; then fails (throws) if any secret the portal held at the end — signing secrets,
    /// robot secrets, secret header values, tokens in robot URLs — appears in any line it logged (issue 5 §3), so every
    /// test's host checks its own logs and a full test run checks them all.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        IReadOnlyList<string> secrets = [];
        try
        {
            if (built)
            {
                secrets = await HeldSecretsAsync();
            }

            await base.DisposeAsync();
        }
        finally
        {
            ownedDirectory?.Dispose();
        }

        var leaks = Logs.Lines.SelectMany(line => secrets.Where(line.Contains).Select(secret => (line, secret))).ToList();
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException(
                $"{leaks.Count} log line(s) contain a secret, e.g. one of {leaks[0].secret.Length} characters starting \"{leaks[0].secret[..3]}\" in: "
                + leaks[0].line.Replace(leaks[0].secret, "<secret>"));
        }
    }

    // Secrets shorter than this are test placeholders ("k" in key=k) that would match any line by accident.
    private const int ShortestCheckedSecret = 8;

    private async Task<IReadOnlyList<string>> HeldSecretsAsync()
    {
        try
        {
            var protector = Services.GetRequiredService<SecretProtector>();
            await using var db = await CreateDbContextAsync();
            var webhooks = await db.Webhooks.AsNoTracking().ToListAsync();
            var deliveryUrls = await db.Deliveries.AsNoTracking().Select(d => d.Url).Distinct().ToListAsync();
            var secrets = new List<string?>();
            foreach (var webhook in webhooks)
            {
                secrets.Add(protector.Unprotect(webhook.SigningSecret));
                secrets.Add(protector.Unprotect(webhook.PreviousSigningSecret));
                secrets.Add(protector.Unprotect(webhook.RobotSecret));
                secrets.AddRange(webhook.Headers.Where(h => h.Secret).Select(h => protector.Unprotect(h.Value)));
            }

            secrets.AddRange(webhooks.Select(w => w.Url).Concat(deliveryUrls).SelectMany(UrlTokens));
            return [.. secrets.OfType<string>().Where(s => s.Length >= ShortestCheckedSecret).Distinct()];
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or System.Data.Common.DbException)
        {
            // The host never started, is already gone, or a test broke its database on purpose: no secrets to read.
            return [];
        }
    }

    /// <summary>The parts of <paramref name="url"/> that <see cref="WebhookTargets.MaskUrl"/> hides: its tokens.</summary>
    private static IEnumerable<string> UrlTokens(string url)
    {
        var masked = WebhookTargets.MaskUrl(url);
        return url.Split(['/', '?', '&', '=', '#']).Where(part => part.Length > 0 && !masked.Contains(part, StringComparison.Ordinal));
    }
}
