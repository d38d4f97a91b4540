using System.Net;
using System.Text.RegularExpressions;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Account;

/// <summary>
/// Closing one's own account on the Identity page, over real HTTP: the last enabled administrator sees the button off
/// with the reason, in their language, instead of an error after the click; anyone else sees it on.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed partial class LastAdministratorAccountTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Path = "/Account/Manage/DeletePersonalData";

    [Theory]
    [InlineData("en", "You are the last enabled administrator: make another user an administrator before closing your account.")]
    [InlineData("zh-CN", "您是最后一个已启用的管理员：请先让另一位用户成为管理员，再关闭您的账户。")]
    public async Task The_last_enabled_administrator_sees_closing_the_account_disabled_with_the_reason(string culture, string reason)
    {
        using var account = AccountClient.For(factory);
        using (var chosen = await account.Http.GetAsync($"/culture?culture={culture}&redirectUri=%2F"))
        {
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        }

        await account.LoginAsync(PortalFactory.AdminEmail, PortalFactory.AdminPassword);

        var html = WebUtility.HtmlDecode(await account.Http.GetStringAsync(Path));

        Assert.Contains(reason, html, StringComparison.Ordinal);
        Assert.Contains("disabled", SubmitButton().Match(html).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_who_is_no_administrator_may_close_their_account()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("closing")));
        using var account = AccountClient.For(factory);
        await account.LoginAsync(user.Email!, "User-Passw0rd!");

        var html = await account.Http.GetStringAsync(Path);

        Assert.DoesNotContain("last enabled administrator", html, StringComparison.Ordinal);
        Assert.DoesNotContain("disabled", SubmitButton().Match(html).Value, StringComparison.Ordinal);
    }

    // The form's button (the layout's sign-out button is a submit button too).
    [GeneratedRegex("<button[^>]*btn-danger[^>]*>")]
    private static partial Regex SubmitButton();
}
