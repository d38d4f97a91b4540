extern alias portal;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>
/// The whole portal — the portal's <c>Program.cs</c> as it ships: REST API, token authentication, Identity, the delivery engine, the UI —
/// serving real HTTP with Kestrel on 127.0.0.1 (a free port), environment Production, on a fresh SQLite file in a temp folder.
/// Private networks are allowed so webhooks can reach the loopback receiver; HTTPS redirection is off (plain loopback HTTP).
/// The outbox write of each user event is timed, as in <see cref="PortalHost"/>.
/// </summary>
public sealed class ApiPortal : WebApplicationFactory<portal::Program>
{
    private const string AdminUserName = "admin";
    private readonly string directory = Path.Combine(Path.GetTempPath(), "webhookportal-bench-api-" + Guid.NewGuid().ToString("N")[..8]);

    private ApiPortal()
    {
        Directory.CreateDirectory(directory);
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Where clients reach the portal, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>When each event's deliveries were queued and how long that took, by user name.</summary>
    public ConcurrentDictionary<string, NotifyTiming> Notified => Services.GetRequiredService<ConcurrentDictionary<string, NotifyTiming>>();

    /// <summary>Starts the portal and waits until it answers.</summary>
    public static ApiPortal Start()
    {
        var portal = new ApiPortal();
        portal.StartServer();
        var addresses = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        portal.Address = new Uri(addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no address."));
        return portal;
    }

    /// <summary>
    /// An HTTP client of its own (its own connection pool, as a separate integration would have) authenticated with a new API
    /// token of the administrator, made as the API tokens page makes one.
    /// </summary>
    public async Task<HttpClient> CreateApiClientAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(AdminUserName)
            ?? throw new InvalidOperationException("The administrator was not created.");
        var token = await Services.GetRequiredService<ApiTokens>()
            .CreateAsync(admin.Id, new ApiTokenModel { Name = name, ExpiresInDays = 1 }, AuditActor.System);
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromMinutes(2),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return http;
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(directory, "portal.db")}",
            ["Admin:UserName"] = AdminUserName,
            ["Admin:Password"] = "Bench-Passw0rd!",
            ["Webhooks:Network:AllowPrivateNetworks"] = "true",
            ["Webhooks:Delivery:PurgeStartDelay"] = "1.00:00:00",
            ["Security:HttpsRedirection"] = "false",
            // As in PortalHost: the portal logs every attempt and request at Information; only warnings reach the console.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddScoped<OutboxUserEventNotifier>();
            services.AddSingleton<ConcurrentDictionary<string, NotifyTiming>>();
            services.Replace(ServiceDescriptor.Scoped<IUserEventNotifier>(sp =>
                new TimedNotifier(sp.GetRequiredService<OutboxUserEventNotifier>(), sp.GetRequiredService<ConcurrentDictionary<string, NotifyTiming>>())));
        });
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temp folder; nothing else depends on it.
        }
    }
}
