using System.Net;
using System.Text.Json;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// The paged list endpoints (clients, users, deliveries) under hostile paging and search: a page past the end is that page,
/// empty, with the real total — never the first page under another number — and a search finds only the rows that really
/// contain the text, whatever SQL LIKE would make of it (<c>%</c>, <c>_</c>, <c>\</c>, a NUL, 2000 characters).
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ListQueryTests(ListQueryTests.Rows rows) : IClassFixture<ListQueryTests.Rows>
{
    /// <summary>One host with clients, users and deliveries whose searchable text holds LIKE's special characters, seeded once.</summary>
    public sealed class Rows : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = PortalFactory.Create();

        public ApiClient Api { get; private set; } = null!;

        private LoopbackReceiver receiver = null!;

        // Each searchable text once with a special character and once without, so a pattern that ran wild would show.
        private static readonly string[] Texts = ["Pct 100% sure", "Snake_case", "Back\\slash", "Plain words"];

        public async Task InitializeAsync()
        {
            Api = await ApiClient.ForAsync(Factory);
            receiver = await LoopbackReceiver.StartAsync();
            var clientId = "lq-hooks";
            foreach (var (text, i) in Texts.Select((t, i) => (t, i)))
            {
                (await Api.PostAsync("/api/v1/clients", new { clientId = i == 1 ? "lq_under_score" : $"lq-client-{i}", description = text }))
                    .Is(HttpStatusCode.Created);
                await Factory.AddWebhookAsync(receiver.Url("/lq"), UserAction.Created, clientId: clientId, name: text + " hook");
            }

            foreach (var (text, i) in Texts.Select((t, i) => (t, i)))
            {
                await Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName($"lq{i}"), firstName: text, lastName: "Tester"));
            }

            // The deliveries exist once the user is saved (the outbox); waiting for them to be sent keeps the rows still.
            await Eventually.MatchesAsync(Factory.DeliveriesAsync, list => list.Count == 16 && list.All(d => d.CompletedAt is not null), "16 sent deliveries");
        }

        public async Task DisposeAsync()
        {
            Api.Dispose();
            await receiver.DisposeAsync();
            await Factory.DisposeAsync();
        }
    }

    /// <summary>A paged list endpoint and how to tell which of its rows contain a text (as its search documents).</summary>
    private sealed record ListEndpoint(string Path, string SearchParameter, Func<JsonElement, IEnumerable<string>> Searched, string Key);

    private static readonly Dictionary<string, ListEndpoint> Endpoints = new()
    {
        ["clients"] = new("/api/v1/clients", "search", c => [Text(c, "clientId"), Text(c, "description")], "clientId"),
        ["users"] = new("/api/v1/users", "search", u =>
        [
            Text(u, "userName"), Text(u, "email"), $"{Text(u, "firstName")} {Text(u, "lastName")}",
            $"{Text(u, "lastName")} {Text(u, "firstName")}", Text(u, "lastName") + Text(u, "firstName"),
        ], "id"),
        ["deliveries"] = new("/api/v1/deliveries", "webhook", d => [Text(d, "webhookName")], "id"),
    };

    public static TheoryData<string, int, int> PagesPastTheEnd => new()
    {
        { "clients", 1000, 25 }, { "users", 1000, 25 }, { "deliveries", 1000, 25 },
        // (page - 1) × pageSize beyond int.MaxValue: computed in 32 bits it wraps to a negative offset, which SQLite reads as 0.
        { "clients", 21474838, 100 }, { "users", 21474838, 100 }, { "deliveries", 21474838, 100 },
        { "clients", int.MaxValue, 100 }, { "users", int.MaxValue, 100 }, { "deliveries", int.MaxValue, 100 },
        { "clients", 1073741825, 2 }, { "users", 1073741825, 2 }, { "deliveries", 1073741825, 2 },
        { "clients", int.MaxValue, 1 }, { "users", int.MaxValue, 1 }, { "deliveries", int.MaxValue, 1 },
    };

    [Theory]
    [MemberData(nameof(PagesPastTheEnd))]
    public async Task A_page_past_the_end_is_that_page_empty_with_the_real_total(string list, int page, int pageSize)
    {
        var endpoint = Endpoints[list];
        var first = (await rows.Api.GetAsync($"{endpoint.Path}?pageSize={pageSize}")).Is(HttpStatusCode.OK).Json;
        Assert.True(first.GetProperty("total").GetInt32() > 0, $"{list} has no rows to page through");

        var response = await rows.Api.GetAsync($"{endpoint.Path}?page={page}&pageSize={pageSize}");

        if (response.Status == HttpStatusCode.BadRequest)
        {
            Assert.NotEmpty(response.FieldErrors("page"));
            return;
        }

        var json = response.Is(HttpStatusCode.OK).Json;
        Assert.Equal(0, json.GetProperty("items").GetArrayLength());
        Assert.Equal(first.GetProperty("total").GetInt32(), json.GetProperty("total").GetInt32());
        Assert.Equal((page, pageSize), (json.GetProperty("page").GetInt32(), json.GetProperty("pageSize").GetInt32()));
    }

    // By name, so every case shows readably in the test list (a NUL in a test name would not).
    private static readonly Dictionary<string, string> SearchTexts = new()
    {
        ["NUL"] = "\0", ["NUL then text"] = "\0Plain",
        ["%"] = "%", ["_"] = "_", ["\\"] = "\\", ["100%"] = "100%", ["e_c"] = "e_c", ["k\\s"] = "k\\s",
        ["2000 characters"] = string.Concat(Enumerable.Repeat("%_\\", 667))[..2000],
    };

    public static TheoryData<string, string> Searches
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var list in Endpoints.Keys)
            {
                foreach (var name in SearchTexts.Keys)
                {
                    data.Add(list, name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Searches))]
    public async Task A_search_finds_exactly_the_rows_that_contain_the_text(string list, string search)
    {
        var endpoint = Endpoints[list];
        var text = SearchTexts[search];
        var everything = await AllAsync(endpoint);
        var expected = everything.Where(row => endpoint.Searched(row).Any(s => s.Contains(text, StringComparison.OrdinalIgnoreCase)))
            .Select(row => Text(row, endpoint.Key)).Order().ToList();

        var response = await rows.Api.GetAsync($"{endpoint.Path}?{endpoint.SearchParameter}={Uri.EscapeDataString(text)}&pageSize=100");

        if (response.Status == HttpStatusCode.BadRequest)
        {
            Assert.NotEmpty(response.FieldErrors(endpoint.SearchParameter));
            return;
        }

        var json = response.Is(HttpStatusCode.OK).Json;
        var found = json.GetProperty("items").EnumerateArray().Select(row => Text(row, endpoint.Key)).Order().ToList();
        Assert.Equal(expected, found);
        Assert.Equal(expected.Count, json.GetProperty("total").GetInt32());
        Assert.True(found.Count < everything.Count, $"The search for {search} listed every one of the {everything.Count} rows");
    }

    [Fact]
    public async Task The_searches_have_rows_to_tell_apart()
    {
        // Guards the table above: with nothing, or only matching rows, to find, every search would pass.
        foreach (var (list, endpoint) in Endpoints)
        {
            var everything = await AllAsync(endpoint);
            foreach (var text in new[] { "%", "_", "\\" })
            {
                var matching = everything.Count(row => endpoint.Searched(row).Any(s => s.Contains(text, StringComparison.Ordinal)));
                Assert.True(matching > 0 && matching < everything.Count, $"{list}: {matching} of {everything.Count} rows contain {text}");
            }
        }
    }

    private async Task<List<JsonElement>> AllAsync(ListEndpoint endpoint)
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var json = (await rows.Api.GetAsync($"{endpoint.Path}?page={page}&pageSize=100")).Is(HttpStatusCode.OK).Json;
            all.AddRange(json.GetProperty("items").EnumerateArray());
            if (all.Count >= json.GetProperty("total").GetInt32() || json.GetProperty("items").GetArrayLength() == 0)
            {
                return all;
            }
        }
    }

    private static string Text(JsonElement row, string property) =>
        row.GetProperty(property) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : row.GetProperty(property).ToString();
}
