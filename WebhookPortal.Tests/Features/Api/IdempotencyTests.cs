using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary><c>Idempotency-Key</c> on POST: the first response is replayed, a different request with the key is refused.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class IdempotencyTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Replays_the_first_response_instead_of_creating_twice()
    {
        using var api = await ApiClient.ForAsync(factory);
        var clientId = PortalData.UniqueName("idem");
        var key = Guid.NewGuid().ToString();

        var first = (await api.PostAsync("/api/v1/clients", new { clientId }, key)).Is(HttpStatusCode.Created);
        var second = (await api.PostAsync("/api/v1/clients", new { clientId }, key)).Is(HttpStatusCode.Created);

        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Headers["Location"], second.Headers["Location"]);
        Assert.Equal("true", second.Headers[IdempotencyFilter.ReplayedHeader]);
        Assert.False(first.Headers.ContainsKey(IdempotencyFilter.ReplayedHeader));
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(1, await db.Clients.CountAsync(c => c.ClientId == clientId));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Subject == "client " + clientId));
    }

    [Fact]
    public async Task Refuses_a_repeat_that_arrives_while_the_first_request_with_the_key_runs_with_409_and_creates_once()
    {
        // Holds SQLite's write lock to keep the first request running, so this host is on SQLite whatever
        // PORTAL_TEST_PROVIDER says.
        await using var portal = PortalFactory.Create(overrides: new Dictionary<string, string?> { [DatabaseProvider.Section] = DatabaseProvider.Sqlite });
        using var api = await ApiClient.ForAsync(portal);
        // The token's last use is written now, not while the test holds the database's write lock.
        (await api.GetAsync("/api/v1/clients")).Is(HttpStatusCode.OK);
        var clientId = PortalData.UniqueName("busy");
        var key = Guid.NewGuid().ToString();

        Task<ApiResponse> first, second;
        await using (var writer = new SqliteConnection(portal.Directory.ConnectionString))
        {
            await writer.OpenAsync();
            await ExecuteAsync(writer, "BEGIN IMMEDIATE");
            // The request that claimed the key waits for the write lock, so the other one meets it running.
            first = api.PostAsync("/api/v1/clients", new { clientId }, key);
            second = api.PostAsync("/api/v1/clients", new { clientId }, key);
            (await await Task.WhenAny(first, second).WaitAsync(TimeSpan.FromSeconds(20))).IsProblem(HttpStatusCode.Conflict);
            await ExecuteAsync(writer, "ROLLBACK");
        }

        var answers = await Task.WhenAll(first, second);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Conflict);
        await using var db = await portal.CreateDbContextAsync();
        Assert.Equal(1, await db.Clients.CountAsync(c => c.ClientId == clientId));
        // Once answered, the key replays.
        Assert.Equal("true", (await api.PostAsync("/api/v1/clients", new { clientId }, key)).Is(HttpStatusCode.Created).Headers[IdempotencyFilter.ReplayedHeader]);
    }

    [Fact]
    public async Task Refuses_the_same_key_with_a_different_body_with_422()
    {
        using var api = await ApiClient.ForAsync(factory);
        var key = Guid.NewGuid().ToString();
        (await api.PostAsync("/api/v1/clients", new { clientId = PortalData.UniqueName("one") }, key)).Is(HttpStatusCode.Created);

        var other = PortalData.UniqueName("two");
        (await api.PostAsync("/api/v1/clients", new { clientId = other }, key)).IsProblem(HttpStatusCode.UnprocessableEntity);

        (await api.GetAsync($"/api/v1/clients/{other}")).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Forgets_a_key_after_12_hours()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var portal = PortalFactory.Create(time: time);
        using var api = await ApiClient.ForAsync(portal);
        var key = Guid.NewGuid().ToString();
        (await api.PostAsync("/api/v1/clients", new { clientId = PortalData.UniqueName("early") }, key)).Is(HttpStatusCode.Created);
        var later = PortalData.UniqueName("later");

        time.Advance(IdempotencyFilter.Lifetime - TimeSpan.FromMinutes(1));
        (await api.PostAsync("/api/v1/clients", new { clientId = later }, key)).IsProblem(HttpStatusCode.UnprocessableEntity);

        time.Advance(TimeSpan.FromMinutes(1));
        var fresh = (await api.PostAsync("/api/v1/clients", new { clientId = later }, key)).Is(HttpStatusCode.Created);
        Assert.False(fresh.Headers.ContainsKey(IdempotencyFilter.ReplayedHeader));
    }

    [Fact]
    public async Task Replays_a_refusal_too()
    {
        using var api = await ApiClient.ForAsync(factory);
        var key = Guid.NewGuid().ToString();

        (await api.PostAsync("/api/v1/clients", new { clientId = "x" }, key)).FieldErrors("clientId");
        var again = (await api.PostAsync("/api/v1/clients", new { clientId = "x" }, key)).IsProblem(HttpStatusCode.BadRequest);

        Assert.Equal("true", again.Headers[IdempotencyFilter.ReplayedHeader]);
    }

    [Fact]
    public async Task Scopes_keys_per_token()
    {
        using var first = await ApiClient.ForAsync(factory);
        using var second = await ApiClient.ForAsync(factory);
        var key = Guid.NewGuid().ToString();
        (await first.PostAsync("/api/v1/clients", new { clientId = PortalData.UniqueName("a") }, key)).Is(HttpStatusCode.Created);

        var other = await second.PostAsync("/api/v1/clients", new { clientId = PortalData.UniqueName("b") }, key);

        other.Is(HttpStatusCode.Created);
        Assert.False(other.Headers.ContainsKey(IdempotencyFilter.ReplayedHeader));
    }

    [Fact]
    public async Task Creates_again_without_a_key()
    {
        using var api = await ApiClient.ForAsync(factory);
        var clientId = PortalData.UniqueName("nokey");

        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
        (await api.PostAsync("/api/v1/clients", new { clientId })).IsProblem(HttpStatusCode.Conflict);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
