using System.Net;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Clients;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary><c>/api/v1/clients</c> against the real app, with a real token.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ClientsApiTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient api = null!;

    public async Task InitializeAsync() => api = await ApiClient.ForAsync(factory);

    public Task DisposeAsync()
    {
        api.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Creates_a_client_and_records_the_token_owner_in_the_audit_log()
    {
        var clientId = PortalData.UniqueName("crm");

        var created = (await api.PostAsync("/api/v1/clients", new { clientId, description = "CRM in production" })).Is(HttpStatusCode.Created);

        Assert.Equal($"/api/v1/clients/{clientId}", created.Headers["Location"]);
        Assert.Equal(clientId, created.Json.GetProperty("clientId").GetString());
        Assert.Equal("CRM in production", created.Json.GetProperty("description").GetString());
        var read = (await api.GetAsync($"/api/v1/clients/{clientId}")).Is(HttpStatusCode.OK);
        Assert.Equal(0, read.Json.GetProperty("webhookCount").GetInt32());
        await using var db = await factory.CreateDbContextAsync();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "client.created" && a.Subject == "client " + clientId);
        Assert.Equal(PortalFactory.AdminUserName, audit.ActorName);
        Assert.NotNull(audit.ActorId);
    }

    [Fact]
    public async Task Refuses_an_invalid_client_with_the_dialogs_messages_per_field()
    {
        var response = await api.PostAsync("/api/v1/clients", new { clientId = "a b", description = new string('x', Client.DescriptionMaxLength + 1) });

        Assert.Equal(ClientModel.ValidateClientId("a b").ToArray(), response.FieldErrors("clientId"));
        Assert.Equal([$"Description must be at most {Client.DescriptionMaxLength} characters."], response.FieldErrors("description"));
    }

    [Fact]
    public async Task Refuses_a_duplicate_client_id_with_409_whatever_its_case()
    {
        var clientId = PortalData.UniqueName("dup");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);

        var again = (await api.PostAsync("/api/v1/clients", new { clientId = clientId.ToUpperInvariant() })).IsProblem(HttpStatusCode.Conflict);

        Assert.Equal($"Client ID '{clientId.ToUpperInvariant()}' already exists as '{clientId}' (Client IDs are not case-sensitive).",
            again.Json.GetProperty("detail").GetString());
        var same = (await api.PostAsync("/api/v1/clients", new { clientId })).IsProblem(HttpStatusCode.Conflict);
        Assert.Equal($"Client ID '{clientId}' already exists.", same.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Answers_404_for_an_unknown_client()
    {
        (await api.GetAsync("/api/v1/clients/no-such-client")).IsProblem(HttpStatusCode.NotFound);
        (await api.PutAsync("/api/v1/clients/no-such-client", new { clientId = "no-such-client" })).IsProblem(HttpStatusCode.NotFound);
        (await api.DeleteAsync("/api/v1/clients/no-such-client")).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lists_clients_with_search_and_paging()
    {
        var prefix = PortalData.UniqueName("page");
        foreach (var n in new[] { 1, 2, 3 })
        {
            (await api.PostAsync("/api/v1/clients", new { clientId = $"{prefix}-{n}" })).Is(HttpStatusCode.Created);
        }

        var page = (await api.GetAsync($"/api/v1/clients?search={prefix}&page=2&pageSize=2")).Is(HttpStatusCode.OK).Json;

        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal([$"{prefix}-3"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("clientId").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/clients?page=0", "page", "page must be 1 or more.")]
    [InlineData("/api/v1/clients?pageSize=101", "pageSize", "pageSize must be from 1 to 100.")]
    [InlineData("/api/v1/users?pageSize=0", "pageSize", "pageSize must be from 1 to 100.")]
    [InlineData("/api/v1/deliveries?page=-3", "page", "page must be 1 or more.")]
    public async Task Refuses_paging_out_of_range_instead_of_answering_another_page(string path, string field, string message)
    {
        Assert.Equal([message], (await api.GetAsync(path)).FieldErrors(field));
    }

    [Fact]
    public async Task Updates_and_deletes_a_client()
    {
        var clientId = PortalData.UniqueName("upd");
        var taken = PortalData.UniqueName("taken");
        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
        (await api.PostAsync("/api/v1/clients", new { clientId = taken })).Is(HttpStatusCode.Created);

        // The Client ID is what docked systems sign in with: it cannot change, to a taken one or any other.
        Assert.Equal(["The Client ID cannot be changed."], (await api.PutAsync($"/api/v1/clients/{clientId}", new { clientId = taken })).FieldErrors("clientId"));
        Assert.Equal(["The Client ID cannot be changed."], (await api.PutAsync($"/api/v1/clients/{clientId}", new { clientId = clientId + "-x" })).FieldErrors("clientId"));
        var updated = (await api.PutAsync($"/api/v1/clients/{clientId}", new { clientId, description = "New text" })).Is(HttpStatusCode.OK);
        Assert.Equal("New text", updated.Json.GetProperty("description").GetString());
        // Left out, the Client ID stays.
        updated = (await api.PutAsync($"/api/v1/clients/{clientId}", new { description = "Newer text" })).Is(HttpStatusCode.OK);
        Assert.Equal(clientId, updated.Json.GetProperty("clientId").GetString());
        Assert.Equal("Newer text", updated.Json.GetProperty("description").GetString());

        (await api.DeleteAsync($"/api/v1/clients/{clientId}")).Is(HttpStatusCode.NoContent);
        (await api.GetAsync($"/api/v1/clients/{clientId}")).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_a_confidential_client_answers_its_secret_only_once()
    {
        var clientId = PortalData.UniqueName("sso");

        var created = (await api.PostAsync("/api/v1/clients", new
        {
            clientId, displayName = "CRM", redirectUris = new[] { "https://crm.example.com/signin-oidc" }, postLogoutRedirectUris = new[] { "https://crm.example.com/" },
        })).Is(HttpStatusCode.Created).Json;

        var secret = created.GetProperty("clientSecret").GetString()!;
        Assert.StartsWith("cs_", secret);
        Assert.Equal("confidential", created.GetProperty("type").GetString());
        Assert.Equal("CRM", created.GetProperty("displayName").GetString());
        var read = (await api.GetAsync($"/api/v1/clients/{clientId}")).Is(HttpStatusCode.OK);
        Assert.False(read.Json.TryGetProperty("clientSecret", out _));
        Assert.DoesNotContain(secret, read.Body, StringComparison.Ordinal);
        Assert.Equal(["https://crm.example.com/signin-oidc"], read.Json.GetProperty("redirectUris").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(["https://crm.example.com/"], read.Json.GetProperty("postLogoutRedirectUris").EnumerateArray().Select(u => u.GetString()));
        var listed = (await api.GetAsync($"/api/v1/clients?search={clientId}")).Is(HttpStatusCode.OK);
        Assert.DoesNotContain(secret, listed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_client_gets_no_secret_and_cannot_rotate_one()
    {
        var clientId = PortalData.UniqueName("spa");

        var created = (await api.PostAsync("/api/v1/clients", new { clientId, type = "public", redirectUris = new[] { "http://localhost:5173/cb" } })).Is(HttpStatusCode.Created).Json;

        Assert.Equal("public", created.GetProperty("type").GetString());
        Assert.False(created.TryGetProperty("clientSecret", out _));
        var refused = (await api.PostAsync($"/api/v1/clients/{clientId}/rotate-secret")).IsProblem(HttpStatusCode.Conflict);
        Assert.Contains("public", refused.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Rotating_the_secret_answers_a_new_one_once()
    {
        var clientId = PortalData.UniqueName("rot");
        var first = (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created).Json.GetProperty("clientSecret").GetString();

        var rotated = (await api.PostAsync($"/api/v1/clients/{clientId}/rotate-secret")).Is(HttpStatusCode.OK).Json;

        Assert.Equal(clientId, rotated.GetProperty("clientId").GetString());
        var secret = rotated.GetProperty("clientSecret").GetString();
        Assert.StartsWith("cs_", secret);
        Assert.NotEqual(first, secret);
        (await api.PostAsync("/api/v1/clients/no-such-client/rotate-secret")).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_create_repeated_with_its_idempotency_key_replays_the_secret_but_the_database_keeps_it_encrypted()
    {
        var clientId = PortalData.UniqueName("idem");
        var key = Guid.NewGuid().ToString();

        var first = (await api.PostAsync("/api/v1/clients", new { clientId }, key)).Is(HttpStatusCode.Created);
        var again = (await api.PostAsync("/api/v1/clients", new { clientId }, key)).Is(HttpStatusCode.Created);

        var secret = first.Json.GetProperty("clientSecret").GetString()!;
        Assert.Equal(secret, again.Json.GetProperty("clientSecret").GetString());
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.IdempotencyRecords.SingleAsync(r => r.Key == key);
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(stored.Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://crm.example.com/cb", "http://crm.example.com/cb must use https (http only for localhost or a loopback address such as 127.0.0.1).")]
    [InlineData("https://crm.example.com/cb#x", "https://crm.example.com/cb#x must not contain a fragment (#…).")]
    [InlineData("https://*.example.com/cb", "https://*.example.com/cb must not contain a wildcard (*): every address is listed in full.")]
    [InlineData("/cb", "/cb is not an absolute URI such as https://app.example.com/signin-oidc.")]
    [InlineData("https://bücher.example/cb", "https://bücher.example/cb must be written in ASCII, as browsers send it: https://xn--bcher-kva.example/cb")]
    public async Task Refuses_a_bad_redirect_uri_naming_it(string uri, string message)
    {
        var clientId = PortalData.UniqueName("uri");

        Assert.Equal([message], (await api.PostAsync("/api/v1/clients", new { clientId, redirectUris = new[] { uri } })).FieldErrors("redirectUris"));
        Assert.Equal([message], (await api.PostAsync("/api/v1/clients", new { clientId, postLogoutRedirectUris = new[] { uri } })).FieldErrors("postLogoutRedirectUris"));
        (await api.GetAsync($"/api/v1/clients/{clientId}")).IsProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Refuses_duplicate_uris_an_unknown_type_and_a_type_change()
    {
        var clientId = PortalData.UniqueName("typ");

        Assert.Equal(["https://a.example.com/cb is listed more than once."],
            (await api.PostAsync("/api/v1/clients", new { clientId, redirectUris = new[] { "https://a.example.com/cb", "https://a.example.com/cb" } })).FieldErrors("redirectUris"));
        Assert.Equal(["type must be one of: confidential, public."], (await api.PostAsync("/api/v1/clients", new { clientId, type = "private" })).FieldErrors("type"));
        Assert.Equal(["Type must be confidential or public."], (await api.PostAsync("/api/v1/clients", new { clientId, type = 7 })).FieldErrors("type"));

        (await api.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
        Assert.Equal(["The type cannot be changed: delete the client and create it again."],
            (await api.PutAsync($"/api/v1/clients/{clientId}", new { type = "public" })).FieldErrors("type"));
        (await api.PutAsync($"/api/v1/clients/{clientId}", new { type = "confidential", displayName = "Same type" })).Is(HttpStatusCode.OK);
    }
}
