using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Health;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Health;

/// <summary><c>/health</c> on the real host: anonymous JSON about the database and the dispatcher's loop.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class HealthEndpointTests : IAsyncLifetime
{
    // Stale after 2 × 200 ms + 1 s, so a stopped dispatcher shows within the test's wait.
    private readonly PortalFactory factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
    {
        ["Webhooks:Delivery:HeartbeatGrace"] = "00:00:01",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Answers_without_signing_in_that_the_database_and_the_dispatcher_are_healthy()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (status, health) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("Healthy", "Healthy", "Healthy"), (health.Status, health.Check("database"), health.Check("dispatcher")));
    }

    [Fact]
    public async Task Names_the_instance_that_answered_and_the_database_provider()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (_, health) = await GetHealthAsync(client);

        // No Portal:InstanceName here, so the installation's default: the machine and a hash, also the name in delivery leases.
        Assert.Equal(factory.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.InstanceId, health.Property("instance"));
        Assert.Matches("^[A-Za-z0-9]{1,20}-[0-9a-f]{12}$", health.Property("instance"));
        Assert.Equal(factory.IsOnPostgreSql ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", health.Property("databaseProvider"));
    }

    [Fact]
    public async Task On_SQLite_it_checks_the_database_and_the_dispatcher_only()
    {
        // SQLite chosen outright: the class's host follows PORTAL_TEST_PROVIDER.
        await using var sqlite = PortalFactory.Create(overrides: new Dictionary<string, string?> { [DatabaseProvider.Section] = DatabaseProvider.Sqlite });
        using var client = sqlite.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (_, health) = await GetHealthAsync(client);

        // One instance, no listener for others' notifications to report on.
        Assert.Equal(["database", "dispatcher"], health.CheckNames());
        Assert.Equal(["checks", "databaseProvider", "durationMs", "instance", "status"], health.PropertyNames());
    }

    [Fact]
    public async Task A_stopped_dispatcher_makes_it_unhealthy_with_503()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await GetHealthAsync(client)).Status);

        await factory.Services.GetRequiredService<DeliveryDispatcher>().StopAsync(CancellationToken.None);

        var (status, health) = await Eventually.MatchesAsync(
            () => GetHealthAsync(client), r => r.Status == HttpStatusCode.ServiceUnavailable, "/health to answer 503",
            describe: r => $"{(int)r.Status} {r.Health.Raw}");
        Assert.Equal(("Unhealthy", "Healthy", "Unhealthy"), (health.Status, health.Check("database"), health.Check("dispatcher")));
    }

    [Fact]
    public async Task A_database_that_cannot_be_queried_makes_it_unhealthy()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "Deliveries" RENAME TO "DeliveriesMovedAway" """);
        }

        var (status, health) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(("Unhealthy", "Unhealthy"), (health.Status, health.Check("database")));
    }

    [Fact]
    public async Task The_dispatcher_check_turns_unhealthy_once_the_heartbeat_is_older_than_two_polls_and_the_grace()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options.Create(new DeliveryOptions { PollInterval = TimeSpan.FromSeconds(5), HeartbeatGrace = TimeSpan.FromSeconds(30) });
        var heartbeat = new DispatcherHeartbeat(time);
        var check = new DispatcherHealthCheck(heartbeat, time, options);

        time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        heartbeat.Beat();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private static async Task<(HttpStatusCode Status, HealthBody Health)> GetHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(HealthExtensions.Path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, new HealthBody(text));
    }

    private sealed class HealthBody(string raw)
    {
        private readonly JsonElement root = JsonDocument.Parse(raw).RootElement;

        public string Raw => raw;

        public string? Status => root.GetProperty("status").GetString();

        public string? Property(string name) => root.GetProperty(name).GetString();

        public string? Check(string name) => root.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();

        public string[] CheckNames() => [.. root.GetProperty("checks").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

        public string[] PropertyNames() => [.. root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }
}
