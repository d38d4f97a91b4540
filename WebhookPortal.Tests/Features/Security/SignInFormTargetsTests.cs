using Microsoft.AspNetCore.WebUtilities;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// A sign-in page on the way to a docked system admits that system's origin in <c>form-action</c> (browsers check it on
/// the redirects after the form), and only that one; every other page keeps <c>form-action 'self'</c>.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SignInFormTargetsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static string Authorize(string redirectUri) => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
    {
        ["client_id"] = "crm", ["response_type"] = "code", ["redirect_uri"] = redirectUri, ["scope"] = "openid",
    });

    public static TheoryData<string, string> Pages => new()
    {
        { "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(Authorize("https://crm.example.test:8443/signin-oidc")), "'self' https://crm.example.test:8443" },
        { "/Account/LoginWith2fa?ReturnUrl=" + Uri.EscapeDataString(Authorize("http://localhost:5000/signin-oidc")), "'self' http://localhost:5000" },
        { "/connect/endsession?post_logout_redirect_uri=" + Uri.EscapeDataString("https://crm.example.test/bye"), "'self' https://crm.example.test" },
        { "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(Authorize("https://bücher.example.test/signin-oidc")), "'self' https://xn--bcher-kva.example.test" },
        { "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(Authorize("http://[::1]:5000/signin-oidc")), "'self' http://[::1]:5000" },
        { "/Account/Login", "'self'" },
        { "/Account/Login?ReturnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=crm&response_type=code"), "'self'" },
        { "/Account/Login?ReturnUrl=" + Uri.EscapeDataString("/connect/authorize?client_id=crm&redirect_uri=%zz%&redirect_uri=x"), "'self'" },
        { "/Account/Login?ReturnUrl=%2Fclients", "'self'" },
        { "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(Authorize("javascript:alert(1)")), "'self'" },
        { "/clients?ReturnUrl=" + Uri.EscapeDataString(Authorize("https://crm.example.test/signin-oidc")), "'self'" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Form_action_admits_the_docked_system_a_sign_in_form_leads_to_and_nothing_else(string path, string formAction)
    {
        using var http = AccountClient.For(factory);

        using var response = await http.Http.GetAsync(path);

        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode is 302, $"{path} answered {(int)response.StatusCode}");
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directive = policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("form-action ", StringComparison.Ordinal));
        Assert.Equal("form-action " + formAction, directive);
    }
}
