using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using WebhookPortal.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>
/// A docked system sends a signed-out user to the portal's authorization endpoint; the sign-in page it lands on says which
/// system the user is signing in to, by the client's display name as text, in the visitor's language, and only for a
/// ReturnUrl on the portal itself.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SignInPageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("en", "Sign in to continue to CRM")]
    [InlineData("zh-CN", "登录以继续访问 CRM")]
    public async Task An_authorization_request_names_the_client_it_continues_to(string culture, string expected)
    {
        var clientId = await CreateApplicationAsync("CRM");

        var html = await GetLoginAsync(AuthorizeUrl(clientId), culture);

        Assert.Contains($"<h1>{expected}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"<title>{expected}</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_display_name_with_markup_is_shown_as_text()
    {
        var clientId = await CreateApplicationAsync("<script>alert('x')</script> CRM");

        var raw = await GetRawLoginAsync(AuthorizeUrl(clientId), "en");

        Assert.DoesNotContain("<script>alert", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", raw, StringComparison.Ordinal);
        Assert.Contains("<h1>Sign in to continue to <script>alert('x')</script> CRM</h1>", WebUtility.HtmlDecode(raw), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_a_display_name_is_named_by_its_client_ID()
    {
        var clientId = await CreateApplicationAsync(displayName: null);

        var html = await GetLoginAsync(AuthorizeUrl(clientId), "en");

        Assert.Contains($"<h1>Sign in to continue to {clientId}</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_client_ID_gets_the_plain_sign_in_page()
    {
        var html = await GetLoginAsync(AuthorizeUrl(PortalData.UniqueName("nobody")), "en");

        Assert.Contains("<h1>Sign in</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("continue to", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/connect/authorize?client_id={0}")]
    [InlineData("//evil.example/connect/authorize?client_id={0}")]
    [InlineData("/\\evil.example/connect/authorize?client_id={0}")]
    [InlineData("/clients/{0}?client_id={0}")]
    public async Task A_ReturnUrl_that_is_not_the_portals_authorization_endpoint_names_nobody(string returnUrl)
    {
        var clientId = await CreateApplicationAsync("CRM");

        var html = await GetLoginAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, returnUrl, clientId), "en");

        Assert.Contains("<h1>Sign in</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("CRM", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_sign_in_keeps_naming_the_client()
    {
        var clientId = await CreateApplicationAsync("CRM");
        using var account = AccountClient.For(factory);
        var path = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(AuthorizeUrl(clientId));
        var token = await account.AntiforgeryTokenAsync(path);

        using var response = await account.Http.PostAsync(path, new FormUrlEncodedContent(
        [
            new("_handler", "login"),
            new("__RequestVerificationToken", token),
            new("Input.Email", PortalFactory.AdminEmail),
            new("Input.Password", "Not-The-Passw0rd!"),
        ]));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>Sign in to continue to CRM</h1>", html, StringComparison.Ordinal);
        Assert.Equal("Error: Invalid login attempt.", AccountClient.ErrorMessage(html));
    }

    private static string AuthorizeUrl(string clientId) =>
        $"/connect/authorize?client_id={Uri.EscapeDataString(clientId)}&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fcrm.example%2Fsignin-oidc"
        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

    private async Task<string> CreateApplicationAsync(string? displayName)
    {
        var clientId = PortalData.UniqueName("crm");
        await using var scope = factory.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = displayName,
            ClientType = ClientTypes.Public,
            RedirectUris = { new Uri("https://crm.example/signin-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code, Permissions.Scopes.Profile,
            },
        };
        await applications.CreateAsync(descriptor);
        return clientId;
    }

    private async Task<string> GetLoginAsync(string returnUrl, string culture) =>
        // Blazor encodes non-ASCII text as character references; compare what a reader sees.
        WebUtility.HtmlDecode(await GetRawLoginAsync(returnUrl, culture));

    private async Task<string> GetRawLoginAsync(string returnUrl, string culture)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        request.Headers.Add("Accept-Language", culture);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
