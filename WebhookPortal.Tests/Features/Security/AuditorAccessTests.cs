using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// An auditor signed in with the real cookie over real HTTP: the pages they read open, the Users, API tokens and test
/// sign-in pages send them to access denied, and the API answers their cookie's GETs but refuses its changes.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AuditorAccessTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/clients")]
    [InlineData("/deliveries")]
    [InlineData("/audit")]
    [InlineData("/inbox")]
    public async Task An_auditor_opens_the_pages_they_read(string path)
    {
        using var account = await SignedInAuditorAsync();

        using var response = await account.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/users")]
    [InlineData("/api-tokens")]
    [InlineData("/sso/test-sign-in")]
    public async Task An_auditor_is_sent_to_access_denied_from_the_administrators_pages(string path)
    {
        using var account = await SignedInAuditorAsync();

        using var response = await account.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_clients_page_as_the_server_renders_it_shows_an_auditor_no_change_buttons()
    {
        var clientId = PortalData.UniqueName("prerendered");
        await factory.AddWebhookAsync("http://127.0.0.1:9/prerendered", UserAction.Created, clientId: clientId, name: "Prerendered hook");
        using var auditor = await SignedInAuditorAsync();
        using var admin = AccountClient.For(factory);
        await admin.LoginAsync(PortalFactory.AdminEmail, PortalFactory.AdminPassword);

        var asAuditor = await auditor.Http.GetStringAsync("/clients/" + clientId);
        var asAdmin = await admin.Http.GetStringAsync("/clients/" + clientId);

        // The real authentication state reaches the page on the server, before any circuit exists.
        Assert.Contains("Prerendered hook", asAuditor, StringComparison.Ordinal);
        foreach (var button in new[] { "Create Webhook", "Edit webhook Prerendered hook", "Delete webhook Prerendered hook", "Send test webhook Prerendered hook" })
        {
            Assert.Contains(button, asAdmin, StringComparison.Ordinal);
            Assert.DoesNotContain(button, asAuditor, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_auditors_sign_in_cookie_reads_the_API_and_cannot_change_anything()
    {
        using var account = await SignedInAuditorAsync();

        using var read = await account.Http.GetAsync("/api/v1/clients");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients") { Content = JsonContent("""{"clientId":"by-an-auditor"}""") };
        request.Headers.Add("Origin", factory.Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var change = await account.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Equal("application/problem+json", change.Content.Headers.ContentType?.MediaType);
        // Refused by the role, not by the same-origin rule (the request came from the portal's own origin).
        Assert.Contains("auditors may only read", await change.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private async Task<AccountClient> SignedInAuditorAsync()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("auditor")));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await users.SetRoleAsync((await users.FindByIdAsync(user.Id))!, PortalRole.Auditor)).Succeeded);
        }

        var account = AccountClient.For(factory);
        await account.LoginAsync(user.Email!, "User-Passw0rd!");
        return account;
    }
}
