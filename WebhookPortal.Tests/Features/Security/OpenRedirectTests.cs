using System.Net;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// Signing in with a <c>ReturnUrl</c> that points off the portal lands on the home page: never on the other site, never on a
/// server error. Local return addresses still work.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class OpenRedirectTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("http:evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://localhost.evil.example/clients")]
    public async Task A_foreign_return_address_lands_on_the_home_page(string returnUrl)
    {
        using var response = await SignInAsync(returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(AccountClient.SetsCookie(response, AccountClient.AuthCookie));
        var location = response.Headers.Location!;
        var target = new Uri(factory.ServerAddress, location);
        Assert.Equal(factory.ServerAddress.GetLeftPart(UriPartial.Authority), target.GetLeftPart(UriPartial.Authority));
        Assert.Equal("/", target.AbsolutePath);
    }

    [Theory]
    [InlineData("/clients", "/clients")]
    [InlineData("/deliveries?status=Failed", "/deliveries")]
    [InlineData("http://localhost/audit", "/audit")]
    public async Task A_local_return_address_is_kept(string returnUrl, string path)
    {
        using var response = await SignInAsync(returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(factory.ServerAddress, response.Headers.Location!);
        Assert.Equal(factory.ServerAddress.GetLeftPart(UriPartial.Authority), target.GetLeftPart(UriPartial.Authority));
        Assert.Equal(path, target.AbsolutePath);
    }

    private async Task<HttpResponseMessage> SignInAsync(string returnUrl)
    {
        using var account = AccountClient.For(factory);
        var path = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await account.AntiforgeryTokenAsync(path);
        return await account.Http.PostAsync(path, new FormUrlEncodedContent(
        [
            new("_handler", "login"),
            new("__RequestVerificationToken", token),
            new("Input.Email", PortalFactory.AdminUserName),
            new("Input.Password", PortalFactory.AdminPassword),
            new("Input.RememberMe", "false"),
        ]));
    }
}
