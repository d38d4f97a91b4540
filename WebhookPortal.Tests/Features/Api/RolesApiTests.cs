using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Api;

/// <summary>
/// Roles through the API: <c>PUT /api/v1/users/{id}/role</c> grants and takes Administrator and Auditor with audit
/// entries; an auditor's token reads every GET and is refused with 403 on every other endpoint, enumerated from the
/// app's own endpoints so a new one cannot be left out; a token acts with its owner's role as it is now.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed partial class RolesApiTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient admin = null!;
    private ApiClient auditor = null!;
    private string auditorId = "";
    private int webhookId;
    private Guid deliveryId;

    public async Task InitializeAsync()
    {
        admin = await ApiClient.ForAsync(factory);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("auditor")));
        auditorId = user.Id;
        await SetRoleAsync(user.UserName!, PortalRole.Auditor);
        auditor = await ApiClient.ForAsync(factory, user.UserName!);

        var webhook = await factory.AddWebhookAsync("http://127.0.0.1:9/roles", UserAction.Created, clientId: "roles-client", name: PortalData.UniqueName("Roles hook"));
        webhookId = webhook.Id;
        await using var db = await factory.CreateDbContextAsync();
        var delivery = new WebhookPortal.Features.Delivery.Delivery
        {
            Id = Guid.NewGuid(), WebhookId = webhook.Id, ClientId = "roles-client", WebhookName = webhook.Name, EventId = Guid.NewGuid(),
            Action = UserAction.Created, EventType = "user.created", UserId = "u1", UserName = "user01", Url = webhook.Url,
            Status = DeliveryStatus.Failed, CreatedAt = DateTime.UtcNow, CompletedAt = DateTime.UtcNow,
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        deliveryId = delivery.Id;
    }

    public Task DisposeAsync()
    {
        admin.Dispose();
        auditor.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Granting_and_taking_Administrator_and_Auditor_answers_the_user_with_its_role_and_audits_each()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("promoted")));

        var made = (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "Administrator" })).Is(HttpStatusCode.OK).Json;
        Assert.Equal("Administrator", made.GetProperty("role").GetString());
        Assert.True(made.GetProperty("isAdmin").GetBoolean());
        var read = (await admin.GetAsync($"/api/v1/users/{user.Id}")).Is(HttpStatusCode.OK).Json;
        Assert.Equal("Administrator", read.GetProperty("role").GetString());

        var demoted = (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "Auditor" })).Is(HttpStatusCode.OK).Json;
        Assert.Equal("Auditor", demoted.GetProperty("role").GetString());
        Assert.False(demoted.GetProperty("isAdmin").GetBoolean());

        var none = (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "None" })).Is(HttpStatusCode.OK).Json;
        Assert.Equal("None", none.GetProperty("role").GetString());
        // The same role again changes nothing and writes nothing.
        (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "None" })).Is(HttpStatusCode.OK);

        await using var db = await factory.CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(e => e.Subject == "user " + user.UserName && e.Action != "user.created")
            .OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(
            [("user.made_administrator", "Granted the Administrator role."), ("user.administrator_revoked", "Took away the Administrator role."),
             ("user.made_auditor", "Granted the Auditor role."), ("user.auditor_revoked", "Took away the Auditor role.")],
            entries.Select(e => (e.Action, MessageText.English(e.Details))));
        Assert.All(entries, e => Assert.Equal(PortalFactory.AdminUserName, e.ActorName));
    }

    [Fact]
    public async Task Taking_rights_away_renews_the_security_stamp_and_granting_them_does_not()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("stamp")));
        var first = await StampAsync(user.Id);

        (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "Administrator" })).Is(HttpStatusCode.OK);
        var granted = await StampAsync(user.Id);
        (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "Auditor" })).Is(HttpStatusCode.OK);

        Assert.Equal(first, granted);
        Assert.NotEqual(granted, await StampAsync(user.Id));
    }

    [Fact]
    public async Task Changing_ones_own_role_is_refused_with_409_and_the_role_stays()
    {
        var me = (await admin.GetAsync("/api/v1/users?search=" + PortalFactory.AdminUserName)).Is(HttpStatusCode.OK).Json
            .GetProperty("items").EnumerateArray().Single(u => u.GetProperty("userName").GetString() == PortalFactory.AdminUserName);
        var id = me.GetProperty("id").GetString()!;

        var refused = (await admin.PutAsync($"/api/v1/users/{id}/role", new { role = "Auditor" })).IsProblem(HttpStatusCode.Conflict);

        Assert.Equal("You cannot change your own role.", refused.Json.GetProperty("detail").GetString());
        Assert.Equal("Administrator", (await admin.GetAsync($"/api/v1/users/{id}")).Json.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("\"Superuser\"")]
    [InlineData("7")]
    [InlineData("null")]
    public async Task An_undefined_role_is_refused_with_400_naming_the_field(string role)
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("badrole")));
        using var content = new StringContent($$"""{"role":{{role}}}""", Encoding.UTF8, "application/json");

        using var response = await admin.Http.PutAsync($"/api/v1/users/{user.Id}/role", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("None", (await admin.GetAsync($"/api/v1/users/{user.Id}")).Json.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_role_of_an_unknown_user_is_a_404_problem() =>
        (await admin.PutAsync("/api/v1/users/no-such-user/role", new { role = "Auditor" })).IsProblem(HttpStatusCode.NotFound);

    [Fact]
    public async Task An_auditor_is_refused_with_403_on_every_endpoint_that_is_not_a_GET_and_nothing_changes()
    {
        var changing = ApiEndpoints().Where(e => !e.Methods.All(IsRead)).SelectMany(e => e.Methods.Select(m => (Method: m, e.Pattern))).ToList();
        // Known ones are among them, so an enumeration that found nothing cannot pass.
        Assert.Contains(("POST", "/api/v1/clients/"), changing);
        Assert.Contains(("PUT", "/api/v1/users/{id}/role"), changing);
        Assert.Contains(("POST", "/api/v1/deliveries/{id:guid}/redeliver"), changing);
        Assert.True(changing.Count >= 20, string.Join(", ", changing));
        var auditBefore = await AuditCountAsync();

        foreach (var (method, pattern) in changing)
        {
            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var request = new HttpRequestMessage(new HttpMethod(method), Fill(pattern)) { Content = content };
            using var response = await auditor.Http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {pattern}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(auditBefore, await AuditCountAsync());
        Assert.Equal("Auditor", (await admin.GetAsync($"/api/v1/users/{auditorId}")).Json.GetProperty("role").GetString());
    }

    [Fact]
    public async Task An_auditor_reads_every_GET_endpoint()
    {
        var reads = ApiEndpoints().Where(e => e.Methods.All(IsRead)).Select(e => e.Pattern).ToList();
        Assert.Contains("/api/v1/deliveries/{id:guid}", reads);
        Assert.Contains("/api/v1/clients/{clientId}/webhooks/{id:int}", reads);

        foreach (var pattern in reads)
        {
            (await auditor.GetAsync(Fill(pattern))).Is(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_token_acts_with_its_owners_role_as_it_is_now()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("tokenowner")));
        await SetRoleAsync(user.UserName!, PortalRole.Administrator);
        using var api = await ApiClient.ForAsync(factory, user.UserName!);
        (await api.PostAsync("/api/v1/clients", new { clientId = PortalData.UniqueName("owned") })).Is(HttpStatusCode.Created);

        (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "Auditor" })).Is(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/clients")).Is(HttpStatusCode.OK);
        (await api.PostAsync("/api/v1/clients", new { clientId = PortalData.UniqueName("owned") })).IsProblem(HttpStatusCode.Forbidden);

        (await admin.PutAsync($"/api/v1/users/{user.Id}/role", new { role = "None" })).Is(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/clients")).IsProblem(HttpStatusCode.Forbidden);
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    private List<(string Pattern, IReadOnlyList<string> Methods)> ApiEndpoints() =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .Select(e => (e.RoutePattern.RawText!, e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? (IReadOnlyList<string>)["POST"]))];

    // Real ids, so a route that would answer 404 for a missing resource still reaches authorization and the handler.
    private string Fill(string pattern) => RouteParameter().Replace(pattern, match => match.Groups["name"].Value switch
    {
        "clientId" => "roles-client",
        "id" when match.Groups["constraint"].Value == "int" => webhookId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "id" when match.Groups["constraint"].Value == "guid" => deliveryId.ToString(),
        "id" => auditorId,
        var other => throw new InvalidOperationException($"No value for route parameter {other} of {pattern}; add one here."),
    });

    [GeneratedRegex(@"\{(?<name>[^}:]+)(?::(?<constraint>[^}]+))?\}")]
    private static partial Regex RouteParameter();

    private async Task<int> AuditCountAsync()
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.AuditEntries.CountAsync();
    }

    private async Task<string?> StampAsync(string id)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync();
    }

    private async Task SetRoleAsync(string userName, PortalRole role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var result = await users.SetRoleAsync((await users.FindByNameAsync(userName))!, role);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
