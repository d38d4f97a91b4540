using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// Every search box behaves the same on SQLite and on PostgreSQL (whose LIKE, unlike SQLite's, minds case): clients,
/// users, deliveries and the audit log find their rows whatever the case of the search, and a search that no row can
/// contain (a NUL, more than <see cref="TextSearch.LongestSearchedText"/> characters) finds nothing instead of failing.
/// Each test runs once per provider, whatever <see cref="PortalFactory.ProviderVariable"/> says.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SearchParityTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>
{
    public static TheoryData<string> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Every_list_search_ignores_case(string provider)
    {
        await using var factory = Create(provider);
        using var api = await ApiClient.ForAsync(factory);
        await using var receiver = await LoopbackReceiver.StartAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var clientId = $"Case-Client-{tag}";
        (await api.PostAsync("/api/v1/clients", new { clientId, description = $"Mixed Case Description {tag}" })).Is(HttpStatusCode.Created);
        await factory.AddWebhookAsync(receiver.Url("/case"), UserAction.Created, clientId: clientId, name: $"Signup Hook {tag}");
        var user = await factory.CreateUserAsync(PortalData.NewUser($"Ada.{tag}", firstName: "Ada", lastName: $"Lovelace{tag}"));

        Assert.Equal([clientId], await KeysAsync(api, $"/api/v1/clients?search=CASE-CLIENT-{tag.ToUpperInvariant()}", "clientId"));
        Assert.Equal([clientId], await KeysAsync(api, $"/api/v1/clients?search=mixed%20case%20description%20{tag}", "clientId"));
        Assert.Equal([user.Id], await KeysAsync(api, $"/api/v1/users?search=LOVELACE{tag.ToUpperInvariant()}", "id"));
        Assert.Equal([user.Id], await KeysAsync(api, $"/api/v1/users?search=ada%20lovelace{tag}", "id"));
        Assert.Equal([user.Id], await KeysAsync(api, $"/api/v1/deliveries?client=case-client-{tag}", "userId"));
        Assert.Equal([user.Id], await KeysAsync(api, $"/api/v1/deliveries?webhook=SIGNUP%20HOOK%20{tag.ToUpperInvariant()}", "userId"));
        var audit = factory.Services.GetRequiredService<AuditQueries>();
        var (entries, _) = await audit.ListAsync(kind: "client", search: $"CASE-client-{tag}", page: 0, pageSize: 10);
        Assert.Contains(entries, e => e.Subject.Contains(clientId, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> UnmatchableSearches
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql })
            {
                data.Add(provider, "NUL");
                data.Add(provider, "overlong");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(UnmatchableSearches))]
    public async Task A_search_no_row_can_contain_finds_nothing_rather_than_failing(string provider, string kind)
    {
        await using var factory = Create(provider);
        using var api = await ApiClient.ForAsync(factory);
        var text = kind == "NUL" ? "a\0dmin" : new string('a', TextSearch.LongestSearchedText + 1);
        var search = Uri.EscapeDataString(text);

        foreach (var path in new[] { $"/api/v1/clients?search={search}", $"/api/v1/users?search={search}", $"/api/v1/deliveries?client={search}", $"/api/v1/deliveries?webhook={search}" })
        {
            var json = (await api.GetAsync(path)).Is(HttpStatusCode.OK).Json;
            Assert.Equal(0, json.GetProperty("total").GetInt32());
        }

        var (entries, total) = await factory.Services.GetRequiredService<AuditQueries>().ListAsync(kind: null, search: text, page: 0, pageSize: 10);
        Assert.Equal((0, 0), (entries.Count, total));
    }

    private PortalFactory Create(string provider) => provider == DatabaseProvider.PostgreSql
        ? PortalFactory.CreateOnPostgreSql(database.ConnectionString)
        : PortalFactory.Create(overrides: new Dictionary<string, string?> { [DatabaseProvider.Section] = DatabaseProvider.Sqlite });

    private static async Task<List<string>> KeysAsync(ApiClient api, string path, string key) =>
        [.. (await api.GetAsync(path)).Is(HttpStatusCode.OK).Json.GetProperty("items").EnumerateArray()
            .Select(row => row.GetProperty(key).GetString()!).Distinct()];
}
