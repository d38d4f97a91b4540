using WebhookPortal.Features.Sso;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>
/// The sign-in page's ReturnUrl names a client ID only when it is this portal's own authorization endpoint with exactly one
/// client_id; any other path, and any address that leaves the site, names nobody.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SsoReturnUrlTests
{
    [Theory]
    [InlineData("/connect/authorize?client_id=crm&response_type=code&scope=openid", "crm")]
    [InlineData("/connect/authorize?response_type=code&client_id=crm", "crm")]
    [InlineData("/Connect/Authorize?client_id=crm", "crm")]
    [InlineData("/connect/authorize?client_id=my%20crm&x=1", "my crm")]
    [InlineData("/connect/authorize?client_id=crm#fragment", "crm")]
    public void A_local_authorization_request_names_its_client(string returnUrl, string clientId)
    {
        Assert.Equal(clientId, SsoReturnUrl.ClientIdOf(returnUrl));
        Assert.True(SsoReturnUrl.IsAuthorizationRequest(returnUrl));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/clients/crm")]
    [InlineData("/connect/authorize")]
    [InlineData("/connect/authorize?")]
    [InlineData("/connect/authorize?client_id=")]
    [InlineData("/connect/authorize?client_id=%20")]
    [InlineData("/connect/authorize?client_id=crm&client_id=erp")]
    [InlineData("/connect/authorize/extra?client_id=crm")]
    [InlineData("/connect/token?client_id=crm")]
    [InlineData("connect/authorize?client_id=crm")]
    [InlineData("https://evil.example/connect/authorize?client_id=crm")]
    [InlineData("http://localhost/connect/authorize?client_id=crm")]
    [InlineData("//evil.example/connect/authorize?client_id=crm")]
    [InlineData("/\\evil.example/connect/authorize?client_id=crm")]
    [InlineData("/\t/evil.example/connect/authorize?client_id=crm")]
    [InlineData("javascript:alert(1)//connect/authorize?client_id=crm")]
    public void Anything_else_names_nobody(string? returnUrl)
    {
        Assert.Null(SsoReturnUrl.ClientIdOf(returnUrl));
        Assert.False(SsoReturnUrl.IsAuthorizationRequest(returnUrl));
    }
}
