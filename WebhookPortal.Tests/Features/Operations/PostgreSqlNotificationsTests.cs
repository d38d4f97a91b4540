using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Inbox;
using WebhookPortal.Features.Operations;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>
/// Two instances of the portal (two hosts in this process) on one PostgreSQL database: what one commits wakes the other's
/// dispatcher and refreshes its pages through LISTEN/NOTIFY (<see cref="PostgreSqlNotifications"/>), also after the
/// listening connection was killed. Each test has a database of its own, so no other host's notifications reach it.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class PostgreSqlNotificationsTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>, IAsyncLifetime
{
    // Every wait here is far below this poll interval: what arrives within one was woken, not polled.
    private const string RarePollInterval = "01:00:00";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private string name = null!;

    public async Task InitializeAsync() => name = await database.Cluster.CreateDatabaseAsync("notify");

    public Task DisposeAsync() => database.Cluster.DropDatabaseAsync(name);

    [Fact]
    public async Task A_user_event_committed_on_one_instance_is_delivered_at_once_by_another_that_polls_hourly()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var a = Instance("notify-a");
        await using var b = Instance("notify-b", RarePollInterval);
        using var api = await ApiClient.ForAsync(a);
        await StopDispatcherAsync(a);
        await ListeningAsync(b);
        var clientId = await WebhookAsync(api, receiver.Url("/woken"));

        await CreateUserAsync(api);

        // A cannot send it and B polls hourly: only A's notification can have woken B.
        await receiver.WaitForRequestToAsync("/woken", Wait);
        await Eventually.MatchesAsync(
            () => StatusAsync(b, clientId), s => s == (DeliveryStatus.Succeeded, 1), "the delivery recorded as sent once by B", Wait);
    }

    [Fact]
    public async Task Delivery_pages_on_another_instance_are_told_when_one_records_an_attempt_and_redelivers()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var a = Instance("notify-a");
        await using var b = Instance("notify-b");
        using var api = await ApiClient.ForAsync(a);
        // B publishes nothing itself: whatever its subscriber is told comes from A.
        await StopDispatcherAsync(b);
        await ListeningAsync(b);
        var clientId = await WebhookAsync(api, receiver.Url("/told"));
        // What a delivery page on B shows after each reload it is told to do.
        var shown = new ConcurrentQueue<(DeliveryStatus, int)>();
        using var subscription = b.Services.GetRequiredService<DeliveryFeed>().Subscribe(async () => shown.Enqueue(await StatusAsync(b, clientId)));

        await CreateUserAsync(api);

        await Eventually.MatchesAsync(() => Task.FromResult(shown.ToList()), s => s.Contains((DeliveryStatus.Succeeded, 1)),
            "B's page reloaded after A recorded the attempt", Wait);
        var id = await DeliveryIdAsync(a, clientId);
        (await api.PostAsync($"/api/v1/deliveries/{id}/redeliver")).Is(HttpStatusCode.Accepted);
        await Eventually.MatchesAsync(() => Task.FromResult(shown.ToList()), s => s.Contains((DeliveryStatus.Succeeded, 2)),
            "B's page reloaded after A redelivered and recorded the second attempt", Wait);
    }

    [Fact]
    public async Task A_burst_of_publishes_sends_few_notifications_and_an_instance_ignores_its_own()
    {
        await using var a = Instance("notify-a");
        await StopDispatcherAsync(a);
        await ListeningAsync(a);
        var deliveries = a.Services.GetRequiredService<DeliveryFeed>();
        var inbox = a.Services.GetRequiredService<InboxFeed>();
        var published = 0;
        using var counting = deliveries.Subscribe(() =>
        {
            Interlocked.Increment(ref published);
            return Task.CompletedTask;
        });
        // The deliveries feed's count each time the inbox feed is told.
        var atInbox = new ConcurrentQueue<int>();
        using var marking = inbox.Subscribe(() =>
        {
            atInbox.Enqueue(Volatile.Read(ref published));
            return Task.CompletedTask;
        });
        await using var observer = await ListenAsync(PostgreSqlNotifications.DeliveriesChannel, PostgreSqlNotifications.InboxChannel);

        for (var i = 0; i < 256; i++)
        {
            deliveries.Publish();
        }

        inbox.Publish();

        // The inbox notice is sent with or after the last pending deliveries one, so every one of those has come before it.
        var seen = await observer.UntilAsync(n => n.Channel == PostgreSqlNotifications.InboxChannel);
        var sent = seen.Count(n => n.Channel == PostgreSqlNotifications.DeliveriesChannel);
        Assert.InRange(sent, 1, 16);
        // A notice from elsewhere reaches A after A's own, which it has handled by then: none of them was published again.
        await observer.NotifyAsync(PostgreSqlNotifications.InboxChannel, "another-instance");
        var counts = await Eventually.MatchesAsync(() => Task.FromResult(atInbox.ToList()), c => c.Count >= 2, "the inbox feed told of the other instance's notice", Wait);
        Assert.Equal([256, 256], counts);
    }

    [Fact]
    public async Task After_its_connection_is_killed_the_listener_reconnects_and_wakes_the_dispatcher_again()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var a = Instance("notify-a");
        await using var b = Instance("notify-b", RarePollInterval);
        using var api = await ApiClient.ForAsync(a);
        await StopDispatcherAsync(a);
        var listener = await ListeningAsync(b);
        var killed = listener.ListenerProcessId!.Value;
        var clientId = await WebhookAsync(api, receiver.Url("/again"));

        await using (var admin = new NpgsqlConnection(database.Cluster.ConnectionString(name)))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin) { Parameters = { new() { Value = killed } } };
            Assert.Equal(true, await terminate.ExecuteScalarAsync());
        }

        await Eventually.MatchesAsync(() => Task.FromResult(listener.ListenerProcessId), pid => pid is not null && pid != killed,
            "B listening on a new connection", Wait);
        await CreateUserAsync(api);

        await receiver.WaitForRequestToAsync("/again", Wait);
        await Eventually.MatchesAsync(
            () => StatusAsync(b, clientId), s => s == (DeliveryStatus.Succeeded, 1), "the delivery recorded as sent once by B", Wait);
        Assert.Contains(b.Logs.Lines, l => l.Contains("Listening for the other instances' notifications failed (attempt 1)", StringComparison.Ordinal));
        Assert.Contains(b.Logs.Lines, l => l.Contains("Listening for the other instances' notifications again after 1 failed attempt(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_SQLite_no_listener_is_registered()
    {
        // SQLite chosen outright, so the PostgreSQL pass of the integration tier runs this on SQLite too.
        await using var host = PortalFactory.Create(overrides: new Dictionary<string, string?> { [DatabaseProvider.Section] = DatabaseProvider.Sqlite });

        Assert.Null(host.Services.GetService<PostgreSqlNotifications>());
    }

    private PortalFactory Instance(string instanceId, string? pollInterval = null)
    {
        var settings = new Dictionary<string, string?> { ["Webhooks:Delivery:InstanceId"] = instanceId };
        if (pollInterval is not null)
        {
            settings["Webhooks:Delivery:PollInterval"] = pollInterval;
        }

        return PortalFactory.CreateOnPostgreSql(database.Cluster.ConnectionString(name), settings);
    }

    private static Task StopDispatcherAsync(PortalFactory host) =>
        host.Services.GetRequiredService<DeliveryDispatcher>().StopAsync(CancellationToken.None);

    private static async Task<PostgreSqlNotifications> ListeningAsync(PortalFactory host)
    {
        var notifications = host.Services.GetRequiredService<PostgreSqlNotifications>();
        await Eventually.MatchesAsync(() => Task.FromResult(notifications.ListenerProcessId), pid => pid is not null, "the instance listening", Wait);
        return notifications;
    }

    private static async Task<string> WebhookAsync(ApiClient api, string url)
    {
        var clientId = PortalData.UniqueName("notify");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
        (await api.PostAsync($"/api/v1/clients/{clientId}/webhooks", new { name = "Users", actions = new[] { "Created" }, url })).Is(HttpStatusCode.Created);
        return clientId;
    }

    private static async Task CreateUserAsync(ApiClient api)
    {
        var userName = PortalData.UniqueName("notified");
        (await api.PostAsync("/api/v1/users", new { userName, email = userName + "@example.test", password = "Passw0rd!x" })).Is(HttpStatusCode.Created);
    }

    private static async Task<(DeliveryStatus, int)> StatusAsync(PortalFactory host, string clientId)
    {
        await using var db = await host.CreateDbContextAsync();
        var delivery = await db.Deliveries.AsNoTracking().Where(d => d.ClientId == clientId)
            .Select(d => new { d.Status, d.AttemptCount }).SingleOrDefaultAsync();
        return delivery is null ? default : (delivery.Status, delivery.AttemptCount);
    }

    private static async Task<Guid> DeliveryIdAsync(PortalFactory host, string clientId)
    {
        await using var db = await host.CreateDbContextAsync();
        return await db.Deliveries.Where(d => d.ClientId == clientId).Select(d => d.Id).SingleAsync();
    }

    private async Task<Observer> ListenAsync(params string[] channels)
    {
        var connection = new NpgsqlConnection(database.Cluster.ConnectionString(name));
        await connection.OpenAsync();
        var observer = new Observer(connection);
        await using var listen = new NpgsqlCommand(string.Join(" ", channels.Select(c => $"LISTEN {c};")), connection);
        await listen.ExecuteNonQueryAsync();
        return observer;
    }

    /// <summary>A connection of the test's own that listens, as a third instance would.</summary>
    private sealed class Observer : IAsyncDisposable
    {
        private readonly NpgsqlConnection connection;
        private readonly List<NpgsqlNotificationEventArgs> seen = [];

        public Observer(NpgsqlConnection connection)
        {
            this.connection = connection;
            connection.Notification += (_, e) => seen.Add(e);
        }

        /// <summary>Waits (bounded) for a notification matching <paramref name="last"/>; returns every one seen up to it.</summary>
        public async Task<IReadOnlyList<NpgsqlNotificationEventArgs>> UntilAsync(Func<NpgsqlNotificationEventArgs, bool> last)
        {
            var deadline = DateTimeOffset.UtcNow + Wait;
            while (!seen.Any(last))
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, $"Waited {Wait.TotalSeconds} s for a notification; seen: {string.Join(", ", seen.Select(n => n.Channel))}");
                await connection.WaitAsync(TimeSpan.FromMilliseconds(200));
            }

            return [.. seen.TakeWhile(n => !last(n)), seen.First(last)];
        }

        /// <summary>Sends a notification from this connection.</summary>
        public async Task NotifyAsync(string channel, string payload)
        {
            await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection) { Parameters = { new() { Value = channel }, new() { Value = payload } } };
            await notify.ExecuteNonQueryAsync();
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
