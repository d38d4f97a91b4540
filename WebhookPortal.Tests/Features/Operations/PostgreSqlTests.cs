using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Health;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>
/// The portal on a real PostgreSQL 15 (<see cref="PostgreSqlCluster"/>) instead of SQLite: start-up migrates, several
/// instances start together on one database, and the API and the real dispatcher work end to end.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class PostgreSqlTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private PortalFactory factory = null!;
    private ApiClient api = null!;
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        factory = PortalFactory.CreateOnPostgreSql(database.ConnectionString);
        api = await ApiClient.ForAsync(factory);
        receiver = await LoopbackReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await receiver.DisposeAsync();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task Start_up_migrates_an_empty_database_and_creates_the_administrator()
    {
        var empty = await database.Cluster.CreateDatabaseAsync("empty");
        try
        {
            await using var host = PortalFactory.CreateOnPostgreSql(database.Cluster.ConnectionString(empty));
            using var http = host.CreateClient();

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(HealthExtensions.Path)).StatusCode);
            await using var db = await host.CreateDbContextAsync();
            Assert.IsType<PostgreSqlPortalDbContext>(db);
            Assert.True(db.Database.IsPostgreSql());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.EndsWith("_Initial", db.Database.GetMigrations().First());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            await using var scope = host.Services.CreateAsyncScope();
            var admins = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().GetUsersInRoleAsync(AdminOptions.Role);
            Assert.Equal([PortalFactory.AdminUserName], admins.Select(u => u.UserName));
        }
        finally
        {
            await database.Cluster.DropDatabaseAsync(empty);
        }
    }

    [Fact]
    public async Task Two_instances_starting_at_once_on_one_empty_database_both_come_up()
    {
        var shared = await database.Cluster.CreateDatabaseAsync("shared");
        try
        {
            await using var first = PortalFactory.CreateOnPostgreSql(database.Cluster.ConnectionString(shared));
            await using var second = PortalFactory.CreateOnPostgreSql(database.Cluster.ConnectionString(shared));

            // Each start migrates and creates the administrator unless the other did; the advisory lock makes them take turns.
            var clients = await Task.WhenAll(Task.Run(first.CreateClient), Task.Run(second.CreateClient));

            foreach (var http in clients)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(HealthExtensions.Path)).StatusCode);
                http.Dispose();
            }

            await using var db = await first.CreateDbContextAsync();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(1, await db.Users.CountAsync(u => u.UserName == PortalFactory.AdminUserName));
        }
        finally
        {
            await database.Cluster.DropDatabaseAsync(shared);
        }
    }

    [Fact]
    public async Task A_client_webhook_with_a_rotated_secret_and_a_user_made_through_the_api_deliver_to_the_receiver()
    {
        var clientId = PortalData.UniqueName("pg");
        (await api.PostAsync("/api/v1/clients", new { clientId, description = "On PostgreSQL" })).Is(HttpStatusCode.Created);
        var webhookId = (await api.PostAsync($"/api/v1/clients/{clientId}/webhooks", new { name = "Users", actions = new[] { "Created" }, url = receiver.Url("/pg-created") }))
            .Is(HttpStatusCode.Created).Json.GetProperty("id").GetInt32();
        // Twice: the sealed current and previous secrets are both stored, far longer than the secrets themselves.
        (await api.PostAsync($"/api/v1/clients/{clientId}/webhooks/{webhookId}/rotate-secret")).Is(HttpStatusCode.OK);
        (await api.PostAsync($"/api/v1/clients/{clientId}/webhooks/{webhookId}/rotate-secret")).Is(HttpStatusCode.OK);
        var userName = PortalData.UniqueName("pguser");

        var created = (await api.PostAsync("/api/v1/users", new { userName, email = userName + "@example.test", password = "Passw0rd!x" }))
            .Is(HttpStatusCode.Created).Json;

        var id = created.GetProperty("id").GetString()!;
        var request = await receiver.WaitForRequestToAsync("/pg-created", Wait);
        var body = WebhookAssert.StringObject(request);
        Assert.Equal(id, body["id"]);
        Assert.Equal(userName, body["username"]);
        var delivery = await Eventually.MatchesAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.Deliveries.AsNoTracking().SingleOrDefaultAsync(d => d.ClientId == clientId && d.Status == DeliveryStatus.Succeeded);
        }, d => d is not null, "the delivery recorded as succeeded", Wait);
        Assert.Equal(id, delivery!.UserId);
        var read = (await api.GetAsync($"/api/v1/deliveries?client={clientId}")).Is(HttpStatusCode.OK).Json;
        Assert.Equal([delivery.Id], read.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Client_ids_stay_unique_whatever_their_case_and_search_ignores_case_as_on_SQLite()
    {
        var clientId = PortalData.UniqueName("PgCase");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);

        var again = (await api.PostAsync("/api/v1/clients", new { clientId = clientId.ToUpperInvariant() })).IsProblem(HttpStatusCode.Conflict);

        Assert.Equal($"Client ID '{clientId.ToUpperInvariant()}' already exists as '{clientId}' (Client IDs are not case-sensitive).",
            again.Json.GetProperty("detail").GetString());
        (await api.GetAsync($"/api/v1/clients/{clientId.ToLowerInvariant()}")).Is(HttpStatusCode.OK);
        foreach (var search in new[] { clientId.ToLowerInvariant(), clientId.ToUpperInvariant()[2..] })
        {
            var found = (await api.GetAsync($"/api/v1/clients?search={search}")).Is(HttpStatusCode.OK).Json;
            Assert.Equal([clientId], found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("clientId").GetString()));
        }

        // The unique index itself, not only the service's check: a second row differing in case is refused by PostgreSQL.
        await using var db = await factory.CreateDbContextAsync();
        db.Clients.Add(new WebhookPortal.Features.Clients.Client { ClientId = clientId.ToUpperInvariant(), Description = "", CreatedAt = DateTime.UnixEpoch });
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(refused.IsConstraintViolation());
    }

    [Fact]
    public async Task The_last_enabled_administrator_keeps_the_role_and_can_still_hand_it_over()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var admin = (await users.FindByNameAsync(PortalFactory.AdminUserName))!;

        var refused = await users.SetRoleAsync(admin, PortalRole.None);

        Assert.Equal(["LastAdministrator"], refused.Errors.Select(e => e.Code));
        var other = new PortalUser { UserName = PortalData.UniqueName("pgadmin"), Email = PortalData.UniqueName("pgadmin") + "@example.test", EmailConfirmed = true };
        Assert.True((await users.CreateAsync(other, "Passw0rd!x")).Succeeded);
        Assert.True((await users.SetRoleAsync(other, PortalRole.Administrator)).Succeeded);
        Assert.True((await users.SetRoleAsync(admin, PortalRole.None)).Succeeded);
        Assert.Equal(["LastAdministrator"], (await users.SetRoleAsync(other, PortalRole.None)).Errors.Select(e => e.Code));
        Assert.True((await users.SetRoleAsync(admin, PortalRole.Administrator)).Succeeded);
    }
}
