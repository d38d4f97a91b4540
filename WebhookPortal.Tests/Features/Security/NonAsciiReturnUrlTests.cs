using System.Net;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// Signing in with a local <c>ReturnUrl</c> holding non-ASCII text signs in and redirects on the portal, never a 500: over real
/// HTTP (Kestrel), which fails an answer whose Location header is not ASCII, where the in-memory test server lets it through.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class NonAsciiReturnUrlTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Theory]
    [InlineData("/clients/caf\u00e9")]
    [InlineData("/audit?q=\u5f20\u4f1f\u202e")]
    [InlineData("/clients?x=\U0001F680")]
    [InlineData("/connect/authorize?client_id=crm&state=\u00fc")]
    public async Task A_return_address_with_non_ascii_text_signs_in_without_a_server_error(string returnUrl)
    {
        using var account = AccountClient.For(portal.Factory);
        var path = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await account.AntiforgeryTokenAsync(path);

        using var response = await account.Http.PostAsync(path, new FormUrlEncodedContent(
        [
            new("_handler", "login"),
            new("__RequestVerificationToken", token),
            new("Input.Email", PortalFactory.AdminUserName),
            new("Input.Password", PortalFactory.AdminPassword),
            new("Input.RememberMe", "false"),
        ]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(AccountClient.SetsCookie(response, AccountClient.AuthCookie));
        var target = new Uri(portal.Factory.ServerAddress, response.Headers.Location!);
        Assert.Equal(portal.Factory.ServerAddress.GetLeftPart(UriPartial.Authority), target.GetLeftPart(UriPartial.Authority));
    }
}
