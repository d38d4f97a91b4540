using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenIddict.Abstractions;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// The pages a docked system's user meets through single sign-on — the sign-in page naming the system, the error page and
/// the signed-out page — photographed and checked (<see cref="PageChecks"/>) in English and Chinese, wide and light or
/// narrow and dark; and the account pages following the system's dark preference until the portal's toggle chooses.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class SsoPagesTourTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Theory]
    [InlineData("en", 1280, false)]
    [InlineData("zh-CN", 1280, false)]
    [InlineData("zh-CN", 390, true)]
    public async Task The_single_sign_on_pages_are_finished(string culture, int width, bool dark)
    {
        var clientId = await CreateApplicationAsync("CRM 客户关系");
        await using var browser = await BrowserSession.OpenAsync(
            chromium, portal.Factory.ServerAddress, $"sso-pages-{culture}-{width}{(dark ? "-dark" : "")}", culture, width, dark);
        var page = browser.Page;

        await browser.RunAsync(async () =>
        {
            var authorize = $"/connect/authorize?client_id={clientId}&response_type=code&scope=openid";
            await browser.GotoAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(authorize), interactive: false);
            await Expect(browser.Heading(string.Format(System.Globalization.CultureInfo.InvariantCulture, browser.Text("Sign in to continue to {0}"), "CRM 客户关系"))).ToBeVisibleAsync();
            await browser.ShotAsync("sign-in-to-client");
            await PageChecks.ExpectFinishedAsync(page, culture);

            await browser.GotoAsync("/sso/error?error=invalid_request&error_description=" + Uri.EscapeDataString("The specified 'redirect_uri' is not valid for this client application."), interactive: false);
            await Expect(browser.Heading(browser.Text("This sign-in request cannot be completed"))).ToBeVisibleAsync();
            await browser.ShotAsync("error");
            await PageChecks.ExpectFinishedAsync(page, culture);

            await browser.GotoAsync("/sso/signed-out", interactive: false);
            await Expect(browser.Heading(browser.Text("You have signed out."))).ToBeVisibleAsync();
            await browser.ShotAsync("signed-out");
            await PageChecks.ExpectFinishedAsync(page, culture);
            await page.GetByRole(AriaRole.Link, new() { Name = browser.Text("Sign in again") }).ClickAsync();
            await Expect(browser.Heading(browser.Text("Sign in"))).ToBeVisibleAsync();
        });
    }

    [Theory]
    [InlineData(ColorScheme.Dark, null, "rgb(13, 17, 23)")]
    [InlineData(ColorScheme.Light, null, "rgb(245, 245, 245)")]
    [InlineData(ColorScheme.Dark, "light", "rgb(245, 245, 245)")]
    [InlineData(ColorScheme.Light, "dark", "rgb(13, 17, 23)")]
    public async Task The_sign_in_page_follows_the_systems_theme_until_the_portals_toggle_chooses(ColorScheme system, string? chosen, string background)
    {
        var address = portal.Factory.ServerAddress;
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), ColorScheme = system });
        if (chosen is not null)
        {
            await context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = chosen, Url = address.ToString() }]);
        }

        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");

        Assert.Equal(background, await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.account-page')).backgroundColor"));
    }

    private async Task<string> CreateApplicationAsync(string displayName)
    {
        var clientId = PortalData.UniqueName("crm");
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = displayName,
            ClientType = ClientTypes.Public,
            RedirectUris = { new Uri("https://crm.example/signin-oidc") },
        });
        return clientId;
    }
}
