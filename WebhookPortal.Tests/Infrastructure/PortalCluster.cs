using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Operations;
using WebhookPortal.Tests.Features.Api;
using Xunit.Sdk;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// Several instances of the portal, each a real process (<see cref="PortalProcess"/>) on its own loopback port, sharing one
/// PostgreSQL database of their own on the test run's <see cref="PostgreSqlCluster"/>: instance <c>i</c> is named
/// <c>portal-a</c>, <c>portal-b</c>, … both as <c>Portal:InstanceName</c> and as the dispatcher's
/// <c>Webhooks:Delivery:InstanceId</c> (so a lease's owner names the instance holding it, see <see cref="LeasedBy"/>).
/// Every instance has the administrator <see cref="PortalFactory.AdminUserName"/> / <see cref="PortalFactory.AdminPassword"/>,
/// the Prometheus endpoint on (its per-instance counters, <see cref="SucceededAttemptsAsync"/>), and fast delivery
/// settings (<see cref="DefaultSettings"/>). <see cref="ApiToken"/> is an administrator's API token that every instance accepts.
/// Disposing kills every process (SIGKILL), drops the database and releases the server; the processes are also killed
/// if the test process exits first.
/// </summary>
public sealed partial class PortalCluster : IAsyncDisposable
{
    /// <summary>What every instance gets unless the caller overrides it: delivery fast enough for tests, no daily purge.</summary>
    public static IReadOnlyDictionary<string, string> DefaultSettings { get; } = new Dictionary<string, string>
    {
        ["Admin__UserName"] = PortalFactory.AdminUserName,
        ["Admin__Email"] = PortalFactory.AdminEmail,
        ["Admin__Password"] = PortalFactory.AdminPassword,
        ["Telemetry__Prometheus__Enabled"] = "true",
        ["Webhooks__Delivery__PollInterval"] = "00:00:00.200",
        ["Webhooks__Delivery__QuickRetries"] = "0",
        ["Webhooks__Delivery__AttemptTimeout"] = "00:00:20",
        ["Webhooks__Delivery__RetrySchedule__0"] = "00:00:00.500",
        ["Webhooks__Delivery__RetrySchedule__1"] = "00:00:00.500",
        ["Webhooks__Delivery__RetrySchedule__2"] = "00:00:00.500",
        ["Webhooks__Delivery__RetrySchedule__3"] = "00:00:00.500",
        ["Webhooks__Delivery__RetrySchedule__4"] = "00:00:00.500",
        ["Webhooks__Delivery__RetrySchedule__5"] = "00:00:00.500",
        ["Webhooks__Delivery__RetryJitter"] = "0",
        ["Webhooks__Delivery__AutoDisableAttempts"] = "0",
        ["Webhooks__Delivery__PurgeStartDelay"] = "1.00:00:00",
        // Development keeps data-protection keys unencrypted; its warning about that is noise in the failure output.
        ["Logging__LogLevel__Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    private readonly PostgreSqlCluster server;
    private readonly string database;
    private readonly TempDirectory folder;
    private readonly IReadOnlyDictionary<string, string>[] settings;
    private readonly PortalProcess?[] processes;
    private readonly EventHandler killAtExit;
    private string? token;

    private PortalCluster(PostgreSqlCluster server, string database, TempDirectory folder, IReadOnlyDictionary<string, string>[] settings)
    {
        this.server = server;
        this.database = database;
        this.folder = folder;
        this.settings = settings;
        processes = new PortalProcess?[settings.Length];
        // A test run that ends without disposing (cancelled, crashed) must not leave portals running against a dropped database.
        killAtExit = (_, _) => KillAll();
        AppDomain.CurrentDomain.ProcessExit += killAtExit;
    }

    /// <summary>How many instances the cluster has (running or not).</summary>
    public int Count => processes.Length;

    /// <summary>The Npgsql connection string of the shared database.</summary>
    public string ConnectionString => server.ConnectionString(database);

    /// <summary>An API token of the administrator (<c>wp_…</c>), stored in the shared database.</summary>
    public string ApiToken => token ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>Instance <paramref name="index"/>'s process; fails when it is not running (killed and not restarted).</summary>
    public PortalProcess this[int index] =>
        processes[index] ?? throw new InvalidOperationException($"Instance {Name(index)} is not running.");

    /// <summary>The name of instance <paramref name="index"/>: <c>portal-a</c>, <c>portal-b</c>, …</summary>
    public static string Name(int index) => "portal-" + (char)('a' + index);

    /// <summary>
    /// Starts <paramref name="count"/> instances at once on a new database (the first start migrates it under the portal's
    /// start-up lock), each with <see cref="DefaultSettings"/>, then <paramref name="overrides"/>, then
    /// <paramref name="perInstance"/>(index) when given (environment-variable keys, e.g. <c>Webhooks__Delivery__LeaseDuration</c>),
    /// and creates <see cref="ApiToken"/>. Fails with the instance's output when one does not come up within
    /// <paramref name="timeout"/>; whatever started is then cleaned up.
    /// </summary>
    public static async Task<PortalCluster> StartAsync(
        int count, TimeSpan timeout, IReadOnlyDictionary<string, string>? overrides = null, Func<int, IReadOnlyDictionary<string, string>>? perInstance = null)
    {
        var server = await PostgreSqlCluster.AcquireAsync();
        string database;
        try
        {
            database = await server.CreateDatabaseAsync("cluster");
        }
        catch
        {
            await PostgreSqlCluster.ReleaseAsync();
            throw;
        }

        var folder = new TempDirectory();
        var all = new IReadOnlyDictionary<string, string>[count];
        for (var i = 0; i < count; i++)
        {
            var instance = new Dictionary<string, string>(DefaultSettings)
            {
                ["Database__Provider"] = DatabaseProvider.PostgreSql,
                ["ConnectionStrings__Portal"] = server.ConnectionString(database),
                // Never the test output folder's App_Data: no old key folder may be imported into the shared key ring.
                ["DataProtection__KeysPath"] = Path.Combine(folder.Path, "keys"),
                ["Portal__InstanceName"] = Name(i),
                ["Webhooks__Delivery__InstanceId"] = Name(i),
            };
            foreach (var (key, value) in (overrides ?? new Dictionary<string, string>()).Concat(perInstance?.Invoke(i) ?? new Dictionary<string, string>()))
            {
                instance[key] = value;
            }

            all[i] = instance;
        }

        var cluster = new PortalCluster(server, database, folder, all);
        try
        {
            var starts = Enumerable.Range(0, count).Select(i => PortalProcess.StartAsync(null, all[i], timeout)).ToList();
            try
            {
                await Task.WhenAll(starts);
            }
            finally
            {
                for (var i = 0; i < count; i++)
                {
                    cluster.processes[i] = starts[i].IsCompletedSuccessfully ? starts[i].Result : null;
                }
            }

            cluster.token = await cluster.CreateApiTokenAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether instance <paramref name="index"/> is running.</summary>
    public bool IsRunning(int index) => processes[index] is { HasExited: false };

    /// <summary>Kills instance <paramref name="index"/> with SIGKILL (no shutdown code runs: its leases stay in the database).</summary>
    public async Task KillAsync(int index)
    {
        if (processes[index] is { } process)
        {
            processes[index] = null;
            await process.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts every instance that is not running again, with its settings (the same instance id, so it releases the leases
    /// its earlier life left); the others are left alone.
    /// </summary>
    public async Task EnsureRunningAsync(TimeSpan timeout)
    {
        for (var i = 0; i < Count; i++)
        {
            if (!IsRunning(i))
            {
                await KillAsync(i);
                processes[i] = await PortalProcess.StartAsync(null, settings[i], timeout);
            }
        }
    }

    /// <summary>An API client for instance <paramref name="index"/> with <see cref="ApiToken"/>; the caller disposes it.</summary>
    public ApiClient Api(int index)
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = this[index].BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiToken);
        return new ApiClient(http);
    }

    /// <summary>A new context on the shared database (the PostgreSQL model, as the instances use it); the caller disposes it.</summary>
    public PortalDbContext CreateDbContext() =>
        new PostgreSqlPortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>A condition on <see cref="Delivery.LeaseOwner"/>: leased by (any life of) instance <paramref name="index"/>.</summary>
    public static string LeaseOwnerPrefix(int index) => Name(index) + "/";

    /// <summary>The ids of the pending deliveries that instance <paramref name="index"/> holds leases on now.</summary>
    public async Task<List<Guid>> LeasedBy(int index)
    {
        var prefix = LeaseOwnerPrefix(index);
        await using var db = CreateDbContext();
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.LeaseOwner != null && d.LeaseOwner.StartsWith(prefix))
            .Select(d => d.Id).ToListAsync();
    }

    /// <summary>
    /// How many attempts instance <paramref name="index"/> has recorded as succeeded since it started: the sum of its
    /// <c>webhookportal_deliveries_total{outcome="succeeded"}</c> on <c>/metrics</c> (0 before the first). The exporter
    /// caches its answer briefly, so poll it for a settled value.
    /// </summary>
    public async Task<long> SucceededAttemptsAsync(int index)
    {
        using var http = new HttpClient { BaseAddress = this[index].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(TelemetryExtensions.MetricsPath);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new XunitException($"GET /metrics on {Name(index)} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        }

        return SucceededLine().Matches(text)
            .Where(m => m.Groups["labels"].Value.Contains($"{DeliveryMetrics.OutcomeTag}=\"{DeliveryMetrics.Succeeded}\"", StringComparison.Ordinal))
            .Sum(m => (long)double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The last output lines of every instance, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, Enumerable.Range(0, Count)
        .Select(i => $"--- {Name(i)} ({(IsRunning(i) ? "running" : "not running")}) ---{Environment.NewLine}{processes[i]?.Output}"));

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= killAtExit;
        try
        {
            for (var i = 0; i < Count; i++)
            {
                await KillAsync(i);
            }

            await server.DropDatabaseAsync(database);
        }
        finally
        {
            folder.Dispose();
            await PostgreSqlCluster.ReleaseAsync();
        }
    }

    private void KillAll()
    {
        foreach (var process in processes)
        {
            try
            {
                process?.KillAsync().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // Gone already.
            }
        }
    }

    // As the API tokens page would make one, written straight into the shared database: every instance reads it from there.
    private async Task<string> CreateApiTokenAsync()
    {
        var created = ApiTokens.Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await using var db = CreateDbContext();
        var admin = await db.Users.SingleAsync(u => u.UserName == PortalFactory.AdminUserName);
        db.ApiTokens.Add(new ApiToken
        {
            UserId = admin.Id,
            Name = "cluster test",
            Hash = ApiTokens.HashOf(created),
            Hint = created[..(ApiTokens.Prefix.Length + 4)],
            CreatedAt = TimeProvider.System.GetUtcNow().UtcDateTime,
            ExpiresAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(1),
        });
        await db.SaveChangesAsync();
        return created;
    }

    [GeneratedRegex(@"^webhookportal_deliveries_total\{(?<labels>[^}]*)\}\s+(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SucceededLine();
}
