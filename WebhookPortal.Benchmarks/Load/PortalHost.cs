using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>
/// The portal's own services (data, audit, users, delivery — the same extension methods as <c>Program.cs</c>, without the UI)
/// in this process, on a fresh SQLite file in a temp folder (or the database its settings name), with the production
/// delivery settings. Private networks are allowed (as in Development) so webhooks can reach the loopback receiver. Several
/// hosts may run side by side on one PostgreSQL database: each is a whole instance (its own services, dispatcher and
/// connection pool), and they share only the database and, when given one, a <see cref="SuccessCounter"/>.
/// </summary>
public sealed class PortalHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string directory;
    private readonly MeterListener listener = new();
    private long succeededHere;
    private long failed;
    private long retried;

    private PortalHost(WebApplication app, string directory, SuccessCounter successes)
    {
        this.app = app;
        this.directory = directory;
        Successes = successes;
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DeliveryMetrics.MeterName && instrument.Name == DeliveryMetrics.DeliveriesInstrument
                && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>(OnDelivery);
        listener.Start();
    }

    /// <summary>When each event's deliveries were queued and how long that took, by user name.</summary>
    public ConcurrentDictionary<string, NotifyTiming> Notified => Services.GetRequiredService<ConcurrentDictionary<string, NotifyTiming>>();

    /// <summary>When each create's password hash ran and its transaction committed, by user name.</summary>
    public CreateTimings CreateTimings => Services.GetRequiredService<CreateTimings>();

    /// <summary>The <see cref="Stopwatch"/> timestamp of the last recorded success (of any host sharing <see cref="Successes"/>).</summary>
    public long LastSucceededAt => Successes.LastAt;

    /// <summary>
    /// Recorded attempts so far by outcome (the portal's own <c>webhookportal.deliveries</c> counter); successes since the
    /// last <see cref="ExpectSuccessesAsync"/>, of every host sharing <see cref="Successes"/>.
    /// </summary>
    public (long Succeeded, long Failed, long RetryScheduled) Recorded => (Successes.Count, Interlocked.Read(ref failed), Interlocked.Read(ref retried));

    /// <summary>Successes this host's dispatcher recorded since it started (never reset).</summary>
    public long SucceededHere => Interlocked.Read(ref succeededHere);

    /// <summary>The success count this host adds to: its own, or the one it shares with the other instances on its database.</summary>
    public SuccessCounter Successes { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>
    /// Starts a portal on a fresh SQLite database; <paramref name="settings"/> are added to (or replace) the defaults (e.g.
    /// <c>Database:Provider</c> and <c>ConnectionStrings:Portal</c> for PostgreSQL). Its successes are counted in
    /// <paramref name="successes"/> when given (shared by several hosts), else in a counter of its own.
    /// </summary>
    public static async Task<PortalHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, SuccessCounter? successes = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "webhookportal-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(directory, "portal.db")}",
            ["Admin:Password"] = "Bench-Passw0rd!",
            ["Webhooks:Network:AllowPrivateNetworks"] = "true",
            // The daily purge stays out of the measurements.
            ["Webhooks:Delivery:PurgeStartDelay"] = "1.00:00:00",
            ["urls"] = "http://127.0.0.1:0",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // The portal logs every attempt at Information; with no provider listening that costs what it costs in production
        // behind a filter. Warnings still reach the console.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // On a new PostgreSQL database EF Core logs its first read of the (not yet created) migrations table as a failed command;
        // the portal's own components log the failures that matter.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);

        builder.AddPortalData();
        builder.AddAudit();
        builder.AddUsers();
        builder.AddWebhooks();
        builder.AddDelivery();

        // The real notifier, timed: the benchmark learns when each event was queued (the start of the latency it measures).
        builder.Services.AddScoped<OutboxUserEventNotifier>();
        builder.Services.AddSingleton<ConcurrentDictionary<string, NotifyTiming>>();
        builder.Services.AddSingleton<CreateTimings>();
        builder.Services.Replace(ServiceDescriptor.Scoped<IUserEventNotifier>(sp =>
            new TimedNotifier(sp.GetRequiredService<OutboxUserEventNotifier>(), sp.GetRequiredService<ConcurrentDictionary<string, NotifyTiming>>(),
                sp.GetRequiredService<CreateTimings>())));
        // Identity's hasher, timed: scenario c tells the hash's share of a create from the rest.
        builder.Services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<PortalUser>>(sp =>
            new TimedPasswordHasher(new PasswordHasher<PortalUser>(sp.GetService<IOptions<PasswordHasherOptions>>()), sp.GetRequiredService<CreateTimings>())));

        var app = builder.Build();
        var host = new PortalHost(app, directory, successes ?? new SuccessCounter());
        await app.StartAsync();
        return host;
    }

    /// <summary>A client with <paramref name="count"/> enabled POST webhooks to <paramref name="url"/> for every action.</summary>
    public async Task<List<Webhook>> AddWebhooksAsync(int count, string url, string clientId, string body = "")
    {
        await using var db = await CreateDbContextAsync();
        var client = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId)
            ?? db.Clients.Add(new Client { ClientId = clientId, CreatedAt = DateTime.UtcNow }).Entity;
        var webhooks = Enumerable.Range(0, count).Select(i => new Webhook
        {
            Client = client,
            Name = $"{clientId}-{i:D4}",
            Actions = UserAction.Created | UserAction.Updated | UserAction.Deleted | UserAction.LoggedIn | UserAction.LoggedOut,
            Url = url,
            Method = "POST",
            Body = body,
            Enabled = true,
        }).ToList();
        db.Webhooks.AddRange(webhooks);
        await db.SaveChangesAsync();
        return webhooks;
    }

    public async Task<PortalDbContext> CreateDbContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    /// <summary>Creates a user through the portal's own path (Identity, the outbox, the audit trail); throws when refused.</summary>
    public async Task CreateUserAsync(string userName)
    {
        var result = await Services.GetRequiredService<UserAdministration>().CreateAsync(
            new UserModel { UserName = userName, Email = userName + "@bench.test", FirstName = "Bench", LastName = "User", Password = "Bench-Passw0rd!" },
            AuditActor.System);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Creating a user failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>Resets the success count; the task completes when <paramref name="count"/> more successes are recorded.</summary>
    public Task ExpectSuccessesAsync(long count) => Successes.ExpectAsync(count);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
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

    private void OnDelivery(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var outcome = "";
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                outcome = tag.Value as string ?? "";
            }
        }

        switch (outcome)
        {
            case DeliveryMetrics.Succeeded:
                Interlocked.Add(ref succeededHere, value);
                Successes.Add(value);
                break;
            case DeliveryMetrics.Failed:
                Interlocked.Add(ref failed, value);
                break;
            default:
                Interlocked.Add(ref retried, value);
                break;
        }
    }
}

/// <summary>When an event's deliveries started being queued and how long queueing took (<see cref="Stopwatch"/> ticks).</summary>
public sealed record NotifyTiming(long StartedAt, long Duration, int Deliveries);

/// <summary>
/// Times the portal's <see cref="OutboxUserEventNotifier"/> without changing what it does: the outbox write, and (at
/// <see cref="Wake"/>, which the user manager calls as soon as the event's transaction has committed) the commit.
/// </summary>
internal sealed class TimedNotifier(OutboxUserEventNotifier inner, ConcurrentDictionary<string, NotifyTiming> timings, CreateTimings? creates = null) : IUserEventNotifier
{
    // Scoped like the notifier: one user change, so the last event notified is the one whose commit Wake follows.
    private string? lastUser;

    /// <inheritdoc />
    public async Task<int> NotifyAsync(UserEvent userEvent, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var count = await inner.NotifyAsync(userEvent, cancellationToken);
        timings[userEvent.User.UserName] = new NotifyTiming(started, Stopwatch.GetTimestamp() - started, count);
        lastUser = userEvent.User.UserName;
        return count;
    }

    /// <inheritdoc />
    public void Wake()
    {
        if (lastUser is not null)
        {
            creates?.Committed(lastUser, Stopwatch.GetTimestamp());
        }

        inner.Wake();
    }
}
