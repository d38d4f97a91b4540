using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Operations;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Features.Delivery;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>
/// Two instances of the portal (two hosts, <c>east</c> and <c>west</c>) on one PostgreSQL database: what must happen once,
/// or be counted once, holds for both together.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SharedDatabaseInstancesTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> owned = [];
    private string? shared;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(owned))
        {
            await item.DisposeAsync();
        }

        if (shared is not null)
        {
            await database.Cluster.DropDatabaseAsync(shared);
        }
    }

    [Fact]
    public async Task Two_instances_delivering_to_one_robot_send_no_more_than_its_rate_limit_together()
    {
        var (east, west) = await StartTwoAsync(new Dictionary<string, string?>
        {
            // Three per hour: the seven over the limit are still waiting when checked.
            ["Webhooks:Delivery:RateLimits:WeCom:0:Permits"] = "3",
            ["Webhooks:Delivery:RateLimits:WeCom:0:Window"] = "01:00:00",
        });
        var receiver = await LoopbackReceiver.StartAsync();
        owned.Add(receiver);
        receiver.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");
        var robot = await east.UseOnlyWebhookAsync(receiver.Url("/cgi-bin/webhook/send?key=k"), UserAction.Created);
        await using (var db = await east.CreateDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Id == robot.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Target, WebhookTarget.WeCom));
        }

        var queued = await IsolationTests.QueueAsync(east, robot, 10, WebhookTarget.WeCom);
        west.Services.GetRequiredService<DeliverySignal>().Wake();
        await SettledAsync(east);

        // Then west alone, with every waiting delivery due again: it must find the three permits already spent by both.
        await east.Services.GetRequiredService<DeliveryDispatcher>().StopAsync(CancellationToken.None);
        await using (var db = await east.CreateDbContextAsync())
        {
            await db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTime.UtcNow));
        }

        west.Services.GetRequiredService<DeliverySignal>().Wake();
        var settled = await SettledAsync(east);

        Assert.Equal(queued.Order(), settled.Select(d => d.Id).Order());
        Assert.Equal(3, settled.Count(d => d.Status == DeliveryStatus.Succeeded));
        Assert.Equal(7, settled.Count(d => d.Status == DeliveryStatus.Pending));
        Assert.Equal(3, receiver.Requests.Count);
        await using var check = await east.CreateDbContextAsync();
        Assert.Equal(3, await check.RatePermits.Where(p => p.WebhookId == robot.Id).SumAsync(p => p.Count + p.PreviousCount + p.EarlierCount));
    }

    // Every delivery sent, or put back to wait for the limit (unleased, not attempted, due much later).
    private static Task<List<WebhookPortal.Features.Delivery.Delivery>> SettledAsync(PortalFactory host) => Eventually.MatchesAsync(
        () => host.DeliveriesAsync(),
        list => list.Count == 10 && list.All(d => d.Status == DeliveryStatus.Succeeded
            || (d.Status == DeliveryStatus.Pending && d.AttemptCount == 0 && d.LeaseOwner is null && d.NextAttemptAt > DateTime.UtcNow.AddMinutes(10))),
        "every delivery sent or waiting for the rate limit", TimeSpan.FromSeconds(30), list => string.Join("; ", list.Select(PortalData.Describe)));

    [Fact]
    public async Task Requests_with_one_idempotency_key_on_two_instances_at_once_create_one_client()
    {
        var (east, west) = await StartTwoAsync();
        var token = await ApiClient.CreateTokenAsync(east);
        using var eastApi = ApiClient.WithToken(east, token);
        using var westApi = ApiClient.WithToken(west, token);
        // The token's last use is written now, not while the test holds the clients table.
        (await eastApi.GetAsync("/api/v1/clients")).Is(HttpStatusCode.OK);
        (await westApi.GetAsync("/api/v1/clients")).Is(HttpStatusCode.OK);
        var clientId = PortalData.UniqueName("both");
        var key = Guid.NewGuid().ToString();

        Task<ApiResponse> first, second;
        await using (var blocker = new NpgsqlConnection(database.Cluster.ConnectionString(shared!)))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand("""LOCK TABLE "Clients" IN EXCLUSIVE MODE""", blocker, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }

            // The request that holds the key waits to write its client, so the other one, on the other instance, meets it running.
            first = eastApi.PostAsync("/api/v1/clients", new { clientId }, key);
            second = westApi.PostAsync("/api/v1/clients", new { clientId }, key);
            (await await Task.WhenAny(first, second).WaitAsync(TimeSpan.FromSeconds(20))).IsProblem(HttpStatusCode.Conflict);
            await transaction.RollbackAsync();
        }

        var answers = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Conflict);
        await using var db = await east.CreateDbContextAsync();
        Assert.Equal(1, await db.Clients.CountAsync(c => c.ClientId == clientId));
        // Once answered, either instance replays the answer.
        foreach (var api in new[] { eastApi, westApi })
        {
            Assert.Equal("true", (await api.PostAsync("/api/v1/clients", new { clientId }, key)).Is(HttpStatusCode.Created).Headers[WebhookPortal.Features.Api.IdempotencyFilter.ReplayedHeader]);
        }
    }

    [Fact]
    public async Task The_purge_runs_on_one_instance_when_both_try_at_once()
    {
        var (east, west) = await StartTwoAsync();
        var now = DateTime.UtcNow;
        var webhook = await east.UseOnlyWebhookAsync("http://127.0.0.1:9/never", UserAction.Created, name: "retention");
        await using (var db = await east.CreateDbContextAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                db.Deliveries.Add(new WebhookPortal.Features.Delivery.Delivery
                {
                    Id = Guid.CreateVersion7(), WebhookId = webhook.Id, ClientId = "test-client", WebhookName = webhook.Name,
                    EventId = Guid.NewGuid(), Action = UserAction.Created, EventType = "user.created", UserId = $"u{i}", UserName = $"u{i}",
                    Url = webhook.Url, Status = DeliveryStatus.Succeeded, CreatedAt = now.AddDays(-40), CompletedAt = now.AddDays(-31),
                });
            }

            await db.SaveChangesAsync();
        }

        var purges = new[] { east, west }.Select(h => h.Services.GetRequiredService<DeliveryRetention>()).ToArray();

        // While another instance holds the purge, both skip at once.
        await using (var other = new NpgsqlConnection(database.Cluster.ConnectionString(shared!)))
        {
            await other.OpenAsync();
            await using var transaction = await other.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({DeliveryRetention.PurgeLock})", other, transaction))
            {
                await command.ExecuteNonQueryAsync();
            }

            Assert.Equal([null, null], await Task.WhenAll(purges.Select(p => p.PurgeAsync(now))));
            await transaction.RollbackAsync();
        }

        var results = await Task.WhenAll(purges.Select(p => Task.Run(() => p.PurgeAsync(now))));

        // One deleted the five; the other skipped (null) or, having come after it, found nothing (0).
        Assert.Single(results, r => r == 5);
        Assert.Single(results, r => r is null or 0);
        await using var check = await east.CreateDbContextAsync();
        Assert.Equal(0, await check.Deliveries.CountAsync());
    }

    [Fact]
    public async Task Two_instances_failing_one_webhook_at_the_same_moment_disable_it_once()
    {
        var (east, west) = await StartTwoAsync();
        var now = DateTime.UtcNow;
        var webhook = await east.UseOnlyWebhookAsync("http://127.0.0.1:9/dead", UserAction.Created, name: "dead");
        await using (var db = await east.CreateDbContextAsync())
        {
            var delivery = new WebhookPortal.Features.Delivery.Delivery
            {
                Id = Guid.CreateVersion7(), WebhookId = webhook.Id, ClientId = "test-client", WebhookName = webhook.Name,
                EventId = Guid.NewGuid(), Action = UserAction.Created, EventType = "user.created", UserId = "u", UserName = "u",
                Url = webhook.Url, Status = DeliveryStatus.Failed, CreatedAt = now.AddDays(-2), CompletedAt = now,
            };
            for (var i = 0; i < 12; i++)
            {
                delivery.Attempts.Add(new DeliveryAttempt { Number = i + 1, StartedAt = now.AddHours(-30 + (2 * i)), StatusCode = 500, Error = "HTTP 500" });
            }

            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync();
        }

        // As each dispatcher records a failed batch: the check and the disabling in one transaction.
        var options = east.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
        var disabled = await Task.WhenAll(new[] { east, west }.Select(host => Task.Run(async () =>
        {
            await using var db = await host.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var done = await AutoDisable.CheckAsync(db, webhook.Id, options, now);
            await transaction.CommitAsync();
            return done;
        })));

        Assert.Single(disabled, d => d);
        await using var check = await east.CreateDbContextAsync();
        var stored = await check.Webhooks.SingleAsync(w => w.Id == webhook.Id);
        Assert.False(stored.Enabled);
        // Disabled once: the version moved by one, and one audit entry by the system gives the reason.
        Assert.Equal(webhook.Version + 1, stored.Version);
        var entry = Assert.Single(await check.AuditEntries.Where(a => a.Action == "webhook.disabled").ToListAsync());
        Assert.Equal((null, "system", $"webhook {webhook.Name} (client test-client)"), (entry.ActorId, entry.ActorName, entry.Subject));
        Assert.Equal(MessageText.English(stored.DisabledReason), WebhookPortal.Features.Audit.AuditText.Details(entry.Details));
        Assert.StartsWith("Disabled on ", MessageText.English(stored.DisabledReason), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_instances_starting_at_once_on_an_empty_database_make_one_administrator()
    {
        var (east, _) = await StartTwoAsync();

        await using var scope = east.Services.CreateAsyncScope();
        var admins = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().GetUsersInRoleAsync(AdminOptions.Role);
        Assert.Equal([PortalFactory.AdminUserName], admins.Select(u => u.UserName));
        await using var db = await east.CreateDbContextAsync();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task Each_instance_names_itself_by_one_setting_in_health_and_leases()
    {
        var (east, west) = await StartTwoAsync();

        foreach (var (host, name) in new[] { (east, "east"), (west, "west") })
        {
            Assert.Equal(name, host.Services.GetRequiredService<PortalInstance>().Name);
            Assert.Equal(name, host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.InstanceId);
        }
    }

    // Two hosts started together on a fresh database of this test, named east and west by Portal:InstanceName.
    private async Task<(PortalFactory East, PortalFactory West)> StartTwoAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        shared = await database.Cluster.CreateDatabaseAsync("instances");
        var hosts = new[] { "east", "west" }.Select(name =>
        {
            var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>()) { [PortalInstance.NameSetting] = name };
            var host = PortalFactory.CreateOnPostgreSql(database.Cluster.ConnectionString(shared), settings);
            owned.Add(host);
            return host;
        }).ToArray();
        await Task.WhenAll(hosts.Select(h => Task.Run(() => h.CreateClient().Dispose())));
        return (hosts[0], hosts[1]);
    }
}
