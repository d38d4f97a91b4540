using System.Net;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// <c>ETag</c> on GET and <c>If-Match</c> on PUT and DELETE for client IDs, webhooks and users: a change made from an older
/// read is refused with 412 and changes nothing; <c>*</c> and the current tag go through; no If-Match behaves as before.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ConditionalRequestsTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient api = null!;

    public async Task InitializeAsync() => api = await ApiClient.ForAsync(factory);

    public Task DisposeAsync()
    {
        api.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_client_is_tagged_and_a_put_or_delete_from_a_stale_tag_is_refused_with_412()
    {
        var path = await NewClientAsync("etag-client");
        var first = Tag(await api.GetAsync(path));

        var saved = (await SendAsync(HttpMethod.Put, path, first, new { description = "First edit" })).Is(HttpStatusCode.OK);
        var second = Tag(saved);
        Assert.NotEqual(first, second);
        Assert.Equal(second, Tag(await api.GetAsync(path)));

        var stale = (await SendAsync(HttpMethod.Put, path, first, new { description = "Lost edit" })).IsProblem(HttpStatusCode.PreconditionFailed);
        Assert.Contains("changed since", stale.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("First edit", (await api.GetAsync(path)).Json.GetProperty("description").GetString());

        (await SendAsync(HttpMethod.Delete, path, first)).IsProblem(HttpStatusCode.PreconditionFailed);
        (await api.GetAsync(path)).Is(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Delete, path, second)).Is(HttpStatusCode.NoContent);
        (await api.GetAsync(path)).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_client_takes_any_tag_with_a_star_and_no_if_match_as_before()
    {
        var path = await NewClientAsync("etag-star");

        var starred = (await SendAsync(HttpMethod.Put, path, "*", new { description = "Star" })).Is(HttpStatusCode.OK);
        Assert.StartsWith("\"", Tag(starred), StringComparison.Ordinal);
        (await api.PutAsync(path, new { description = "Plain" })).Is(HttpStatusCode.OK);
        // A weak tag never matches: If-Match compares strongly.
        (await SendAsync(HttpMethod.Put, path, "W/" + Tag(await api.GetAsync(path)), new { description = "Weak" })).IsProblem(HttpStatusCode.PreconditionFailed);
        (await SendAsync(HttpMethod.Delete, path, "*")).Is(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_webhook_is_tagged_and_a_put_or_delete_from_a_stale_tag_is_refused_with_412()
    {
        var client = await NewClientAsync("etag-hooks");
        var created = (await api.PostAsync(client + "/webhooks", Webhook("Original"))).Is(HttpStatusCode.Created);
        var path = $"{client}/webhooks/{created.Json.GetProperty("id").GetInt32()}";
        var first = Tag(await api.GetAsync(path));

        var saved = (await SendAsync(HttpMethod.Put, path, first, Webhook("First edit"))).Is(HttpStatusCode.OK);
        var second = Tag(saved);
        Assert.NotEqual(first, second);
        Assert.Equal(second, Tag(await api.GetAsync(path)));

        (await SendAsync(HttpMethod.Put, path, first, Webhook("Lost edit"))).IsProblem(HttpStatusCode.PreconditionFailed);
        Assert.Equal("First edit", (await api.GetAsync(path)).Json.GetProperty("name").GetString());

        // Disabling is a change too: a tag read before it is stale.
        (await api.PostAsync(path + "/disable")).Is(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Delete, path, second)).IsProblem(HttpStatusCode.PreconditionFailed);
        (await api.GetAsync(path)).Is(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Put, path, "*", Webhook("Starred"))).Is(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Delete, path, Tag(await api.GetAsync(path)))).Is(HttpStatusCode.NoContent);
        (await api.GetAsync(path)).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_user_is_tagged_with_its_stamp_and_a_put_or_delete_from_a_stale_tag_is_refused_with_412()
    {
        var userName = PortalData.UniqueName("etag");
        var created = (await api.PostAsync("/api/v1/users", User(userName, "Wei"))).Is(HttpStatusCode.Created);
        var path = "/api/v1/users/" + created.Json.GetProperty("id").GetString();
        var first = Tag(await api.GetAsync(path));

        var saved = (await SendAsync(HttpMethod.Put, path, first, User(userName, "First"))).Is(HttpStatusCode.OK);
        var second = Tag(saved);
        Assert.NotEqual(first, second);
        Assert.Equal(second, Tag(await api.GetAsync(path)));

        (await SendAsync(HttpMethod.Put, path, first, User(userName, "Lost"))).IsProblem(HttpStatusCode.PreconditionFailed);
        Assert.Equal("First", (await api.GetAsync(path)).Json.GetProperty("firstName").GetString());

        (await SendAsync(HttpMethod.Delete, path, first)).IsProblem(HttpStatusCode.PreconditionFailed);
        (await api.GetAsync(path)).Is(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Put, path, "*", User(userName, "Starred"))).Is(HttpStatusCode.OK);
        (await SendAsync(HttpMethod.Delete, path, "*")).Is(HttpStatusCode.NoContent);
        (await api.GetAsync(path)).IsProblem(HttpStatusCode.NotFound);
    }

    private async Task<string> NewClientAsync(string prefix)
    {
        var clientId = PortalData.UniqueName(prefix);
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
        return "/api/v1/clients/" + clientId;
    }

    private static object Webhook(string name) => new { name, actions = new[] { "Created" }, url = "http://127.0.0.1:9/hook", method = "POST" };

    private static object User(string userName, string firstName) => new
    {
        userName,
        email = userName + "@example.test",
        firstName,
        lastName = "Zhang",
        password = "Passw0rd!x",
        enabled = true,
    };

    private static string Tag(ApiResponse response)
    {
        Assert.True(response.Headers.TryGetValue("ETag", out var tag), "No ETag: " + response.Body);
        Assert.Matches("^\"[^\"]+\"$", tag);
        return tag;
    }

    private Task<ApiResponse> SendAsync(HttpMethod method, string path, string ifMatch, object? body = null) =>
        api.SendAsync(method, path, body, ifMatch: ifMatch);
}
