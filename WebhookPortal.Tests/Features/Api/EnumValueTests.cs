using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// Enum values the API does not define — a number no member has, 0 (None) or a combination of flags where one action is
/// meant — are refused with a 400 naming the field and the values it takes, in bodies and in query strings; nothing is
/// stored or sent.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class EnumValueTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Actions = "Created, Updated, Deleted, LoggedIn, LoggedOut";
    private const string SignIns = "AnyClient, ThisClient";
    private const string Targets = "Generic, WeCom, DingTalk, Feishu, Slack, Teams, Discord";

    private ApiClient api = null!;
    private string clientId = "";

    public async Task InitializeAsync()
    {
        api = await ApiClient.ForAsync(factory);
        clientId = PortalData.UniqueName("enums");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
    }

    public Task DisposeAsync()
    {
        api.Dispose();
        return Task.CompletedTask;
    }

    private string Webhooks => $"/api/v1/clients/{clientId}/webhooks";

    /// <summary>The part of a webhook body under test, the field the 400 must name, and the values the message must list.</summary>
    public static TheoryData<string, string, string> UndefinedInBody => new()
    {
        { "\"target\":99", "target", Targets },
        { "\"target\":-1", "target", Targets },
        { "\"object\":-1", "object", "User" },
        { "\"object\":1", "object", "User" },
        { "\"actions\":[0]", "actions", Actions },
        { "\"actions\":[\"None\"]", "actions", Actions },
        { "\"actions\":[99]", "actions", Actions },
        { "\"actions\":[32]", "actions", Actions },
        // Flags: one entry holding two actions is not one action.
        { "\"actions\":[3]", "actions", Actions },
        { "\"actions\":[\"Created, Updated\"]", "actions", Actions },
        { "\"actions\":[\"Created\",0]", "actions", Actions },
        { "\"signIns\":7", "signIns", SignIns },
        { "\"signIns\":\"everyone\"", "signIns", SignIns },
    };

    [Theory]
    [MemberData(nameof(UndefinedInBody))]
    public async Task Creating_a_webhook_with_an_undefined_enum_value_is_a_400_and_stores_nothing(string part, string field, string allowed)
    {
        var response = await PostJsonAsync(HttpMethod.Post, Webhooks, Body("Undefined", part));

        var errors = response.FieldErrors(field);
        Assert.True(errors.Any(e => e.Contains(allowed, StringComparison.Ordinal)), $"No error on {field} listing {allowed}: {response.Body}");
        Assert.Equal(0, (await api.GetAsync(Webhooks)).Is(HttpStatusCode.OK).Json.GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(UndefinedInBody))]
    public async Task Updating_a_webhook_with_an_undefined_enum_value_is_a_400_and_changes_nothing(string part, string field, string allowed)
    {
        var name = PortalData.UniqueName("kept");
        var created = (await PostJsonAsync(HttpMethod.Post, Webhooks, Body(name, "\"actions\":[\"Deleted\"]"))).Is(HttpStatusCode.Created);
        var id = created.Json.GetProperty("id").GetInt32();

        var response = await PostJsonAsync(HttpMethod.Put, $"{Webhooks}/{id}", Body(name, part));

        var errors = response.FieldErrors(field);
        Assert.True(errors.Any(e => e.Contains(allowed, StringComparison.Ordinal)), $"No error on {field} listing {allowed}: {response.Body}");
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == id);
        Assert.Equal((UserAction.Deleted, 0, 0), (stored.Actions, (int)stored.Object, (int)stored.Target));
        (await api.DeleteAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("status=99", "status")]
    [InlineData("status=-1", "status")]
    // 1 | 2 is 3, Cancelled: a list of statuses must not quietly become another one.
    [InlineData("status=Succeeded,Failed", "status")]
    [InlineData("action=0", "action")]
    [InlineData("action=None", "action")]
    [InlineData("action=99", "action")]
    [InlineData("action=Created,Updated", "action")]
    public async Task Filtering_deliveries_by_an_undefined_status_or_action_is_a_400(string query, string field)
    {
        var response = await api.GetAsync("/api/v1/deliveries?" + query);

        Assert.NotEmpty(response.FieldErrors(field));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("0")]
    [InlineData("None")]
    [InlineData("Created,Updated")]
    public async Task Sending_a_test_for_an_undefined_action_is_a_400_and_sends_nothing(string action)
    {
        var created = (await PostJsonAsync(HttpMethod.Post, Webhooks, Body(PortalData.UniqueName("test"), "\"actions\":[\"Created\"]"))).Is(HttpStatusCode.Created);
        var id = created.Json.GetProperty("id").GetInt32();

        var response = await api.PostAsync($"{Webhooks}/{id}/test?action={Uri.EscapeDataString(action)}");

        var errors = response.FieldErrors("action");
        Assert.True(errors.Any(e => e.Contains(Actions, StringComparison.Ordinal)), $"No error on action listing {Actions}: {response.Body}");
        await using var db = await factory.CreateDbContextAsync();
        Assert.False(await db.Deliveries.AnyAsync(d => d.WebhookId == id));
        (await api.DeleteAsync($"{Webhooks}/{id}")).Is(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_defined_value_is_still_accepted_by_name()
    {
        var response = await PostJsonAsync(HttpMethod.Post, Webhooks,
            Body(PortalData.UniqueName("named"), "\"actions\":[\"Created\",\"LoggedOut\"],\"target\":\"Slack\",\"object\":\"User\""));

        var webhook = response.Is(HttpStatusCode.Created).Json;
        Assert.Equal(["Created", "LoggedOut"], webhook.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Slack", webhook.GetProperty("target").GetString());
        (await api.DeleteAsync($"{Webhooks}/{webhook.GetProperty("id").GetInt32()}")).Is(HttpStatusCode.NoContent);
    }

    // A valid webhook with `part` replacing or adding one field; the last duplicate key wins in System.Text.Json.
    // A part that sets actions replaces the default ones: a key given twice is refused on its own.
    private static string Body(string name, string part) => part.StartsWith("\"actions\"", StringComparison.Ordinal)
        ? $$"""{"name":"{{name}}","url":"http://127.0.0.1:9/enum","method":"POST",{{part}}}"""
        : $$"""{"name":"{{name}}","actions":["Created"],"url":"http://127.0.0.1:9/enum","method":"POST",{{part}}}""";

    private async Task<ApiResponse> PostJsonAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await api.Http.SendAsync(request);
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(),
            new Dictionary<string, string>());
    }
}
