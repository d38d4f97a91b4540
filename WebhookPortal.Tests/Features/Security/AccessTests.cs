using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// Issue 5 §2 over real HTTP and real Identity: only administrators inside, non-administrators keep their own account
/// page, five wrong passwords lock an account, and a form posted without its antiforgery token is refused.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AccessTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/clients")]
    [InlineData("/users")]
    [InlineData("/deliveries")]
    [InlineData("/audit")]
    [InlineData("/inbox")]
    [InlineData("/api-tokens")]
    public async Task A_signed_in_user_who_is_not_an_administrator_is_sent_to_access_denied(string path)
    {
        using var account = await SignedInNonAdministratorAsync();

        using var response = await account.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_signed_in_user_who_is_not_an_administrator_can_open_their_own_account_page()
    {
        using var account = await SignedInNonAdministratorAsync();

        using var response = await account.Http.GetAsync("/Account/Manage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Profile", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_even_the_right_one_is_refused()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("locked")));
        using var account = AccountClient.For(factory);

        for (var i = 1; i <= 5; i++)
        {
            using var wrong = await account.PostLoginAsync(user.Email!, "Wrong-Passw0rd!");
            // The first four show the form again; the fifth locks the account and says so.
            Assert.Equal(i < 5 ? null : "/Account/Lockout", wrong.Headers.Location is { } to ? new Uri(factory.Server.BaseAddress, to).AbsolutePath : null);
            Assert.False(AccountClient.SetsCookie(wrong, AccountClient.AuthCookie));
        }

        using var right = await account.PostLoginAsync(user.Email!, "User-Passw0rd!");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/Account/Lockout", new Uri(factory.Server.BaseAddress, right.Headers.Location!).AbsolutePath);
        Assert.False(AccountClient.SetsCookie(right, AccountClient.AuthCookie));
    }

    [Fact]
    public async Task The_sign_in_form_posted_without_its_antiforgery_token_is_refused()
    {
        using var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(
        [
            new("_handler", "login"),
            new("Input.Email", PortalFactory.AdminEmail),
            new("Input.Password", PortalFactory.AdminPassword),
        ]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(AccountClient.SetsCookie(response, AccountClient.AuthCookie));
    }

    private async Task<AccountClient> SignedInNonAdministratorAsync()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("plain")));
        var account = AccountClient.For(factory);
        await account.LoginAsync(user.Email!, "User-Passw0rd!");
        return account;
    }
}
