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

        Assert.Contains("already exists", again.Json.GetProperty("detail").GetString());
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
}
