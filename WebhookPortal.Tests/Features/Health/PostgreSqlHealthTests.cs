using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WebhookPortal.Features.Health;
using WebhookPortal.Features.Operations;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Health;

/// <summary>
/// <c>/health</c> on PostgreSQL also says whether the listener for the other instances' notifications is connected: healthy
/// with its server process while it is, degraded (still 200: the dispatcher polls meanwhile) while it is not.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class PostgreSqlHealthTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private string name = null!;

    public async Task InitializeAsync() => name = await database.Cluster.CreateDatabaseAsync("health");

    public Task DisposeAsync() => database.Cluster.DropDatabaseAsync(name);

    [Fact]
    public async Task Names_the_listener_connection_and_follows_it_to_a_new_one_after_it_is_killed()
    {
        await using var factory = PortalFactory.CreateOnPostgreSql(database.Cluster.ConnectionString(name));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var listener = factory.Services.GetRequiredService<PostgreSqlNotifications>();
        await Eventually.MatchesAsync(() => Task.FromResult(listener.ListenerProcessId), pid => pid is not null, "the instance listening", Wait);
        var killed = listener.ListenerProcessId!.Value;

        var (status, health) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", health.GetProperty("databaseProvider").GetString());
        Assert.Equal(("Healthy", "Healthy"), (Status(health), Status(Check(health, "notifications"))));
        Assert.Equal(killed, Check(health, "notifications").GetProperty("data").GetProperty("listenerProcessId").GetInt32());

        await using (var admin = new NpgsqlConnection(database.Cluster.ConnectionString(name)))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin) { Parameters = { new() { Value = killed } } };
            Assert.Equal(true, await terminate.ExecuteScalarAsync());
        }

        // Down for a second or more, then listening on a new connection, which /health names.
        var (_, again) = await Eventually.MatchesAsync(
            () => GetHealthAsync(client),
            r => Status(r.Health) == "Healthy" && Check(r.Health, "notifications").GetProperty("data").TryGetProperty("listenerProcessId", out var pid) && pid.GetInt32() != killed,
            "/health to name the listener's new connection", Wait, describe: r => r.Health.GetRawText());
        Assert.Equal(listener.ListenerProcessId, Check(again, "notifications").GetProperty("data").GetProperty("listenerProcessId").GetInt32());
    }

    [Fact]
    public async Task While_the_listener_is_down_it_is_degraded_but_answers_200()
    {
        await using var factory = PortalFactory.CreateOnPostgreSql(database.Cluster.ConnectionString(name));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var listener = factory.Services.GetRequiredService<PostgreSqlNotifications>();
        await Eventually.MatchesAsync(() => Task.FromResult(listener.ListenerProcessId), pid => pid is not null, "the instance listening", Wait);

        // Stopped, the listener stays down (killed, it would be back within seconds).
        await listener.StopAsync(CancellationToken.None);
        Assert.Null(listener.ListenerProcessId);
        var (status, health) = await GetHealthAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("Degraded", "Healthy", "Healthy", "Degraded"),
            (Status(health), Status(Check(health, "database")), Status(Check(health, "dispatcher")), Status(Check(health, "notifications"))));
        var data = Check(health, "notifications").GetProperty("data");
        Assert.False(data.GetProperty("listening").GetBoolean());
        Assert.False(data.TryGetProperty("listenerProcessId", out _));
    }

    private static string? Status(JsonElement element) => element.GetProperty("status").GetString();

    private static JsonElement Check(JsonElement health, string check) => health.GetProperty("checks").GetProperty(check);

    private static async Task<(HttpStatusCode Status, JsonElement Health)> GetHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(HealthExtensions.Path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
