using System.Net;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>
/// The Test sign-in page as the server renders it for an administrator: what it says for an unknown client, for a client
/// without the test redirect URI, and what it asks of a confidential client before the browser runs the flow.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class TestSignInPageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    /// <summary>The page's own address on the test server: the redirect URI a client needs.</summary>
    private const string TestRedirectUri = "http://localhost/sso/test-sign-in";

    [Fact]
    public async Task An_unknown_client_is_named_as_not_existing()
    {
        var html = await PageAsync("no-such-client");

        Assert.Contains("Client ID no-such-client does not exist.", html);
        Assert.DoesNotContain("data-sign-in", html);
    }

    [Fact]
    public async Task A_client_without_the_test_redirect_uri_gets_a_warning_with_the_uri_to_add_and_no_sign_in()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("crm"), confidential: false);

        var html = await PageAsync(flow.ClientId);

        Assert.Contains("This client does not have the redirect URI of the test sign-in. Add it to the client's redirect URIs with Edit Client", html);
        Assert.Contains($"<code>{TestRedirectUri}</code>", html);
        Assert.Contains("Copy", html);
        Assert.DoesNotContain("data-sign-in", html);
    }

    [Fact]
    public async Task A_confidential_client_asks_for_its_secret_in_a_password_field_that_is_never_stored()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("crm"), confidential: true, redirectUri: TestRedirectUri);

        var html = await PageAsync(flow.ClientId);

        Assert.Contains("Confidential", html);
        Assert.Matches("<input id=\"test-sign-in-secret\" type=\"password\"[^>]*data-client-secret", html);
        Assert.Contains("The browser sends it only to this portal's own token endpoint; it is never stored.", html);
        Assert.Contains("data-sign-in=\"normal\"", html);
        Assert.Contains("data-sign-in=\"login\"", html);
        Assert.DoesNotContain("does not have the redirect URI", html);
    }

    [Fact]
    public async Task A_public_client_with_the_test_redirect_uri_offers_both_sign_ins_without_a_secret()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("spa"), confidential: false, displayName: "Single-page app",
            redirectUri: TestRedirectUri);

        var html = await PageAsync(flow.ClientId);

        Assert.Contains("Single-page app", html);
        Assert.Contains("Public", html);
        Assert.DoesNotContain("data-client-secret", html);
        Assert.Contains("Sign in again (prompt=login)", html);
    }

    [Fact]
    public async Task Only_administrators_may_open_it()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("crm"), redirectUri: TestRedirectUri);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("plain")), "User-Passw0rd!");
        using var anonymous = AccountClient.For(factory);
        using var plain = AccountClient.For(factory);
        await plain.LoginAsync(user.UserName!, "User-Passw0rd!");

        using var asAnonymous = await anonymous.Http.GetAsync("/sso/test-sign-in?client_id=" + flow.ClientId);
        using var asPlainUser = await plain.Http.GetAsync("/sso/test-sign-in?client_id=" + flow.ClientId);

        Assert.Equal(HttpStatusCode.Redirect, asAnonymous.StatusCode);
        Assert.Contains("/Account/Login", asAnonymous.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, asPlainUser.StatusCode);
        Assert.Contains("/Account/AccessDenied", asPlainUser.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> PageAsync(string clientId)
    {
        using var admin = AccountClient.For(factory);
        await admin.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
        using var response = await admin.Http.GetAsync("/sso/test-sign-in?client_id=" + Uri.EscapeDataString(clientId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
