using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>An anonymous visitor who opens any admin page lands on the sign-in page, which returns them there afterwards.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class SignInRequiredTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task Every_admin_page_redirects_an_anonymous_visitor_to_sign_in()
    {
        // The pages there are today; the list read from the app may grow, but a page that lost its Admin rule drops off it.
        Assert.Superset(
            new HashSet<string> { "/", "/api-tokens", "/audit", "/clients", "/clients/{ClientId}", "/deliveries", "/deliveries/{Id:guid}", "/inbox", "/users" },
            AdminPages.All.Select(p => p.Template).ToHashSet());
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "sign-in-required");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            foreach (var (_, path, name) in AdminPages.All)
            {
                await page.GotoAsync(path);
                await Expect(page).ToHaveURLAsync(new Regex("/Account/Login\\?returnUrl=", RegexOptions.IgnoreCase));
                await Expect(browser.Heading("Sign in")).ToBeVisibleAsync();
                var returnUrl = Uri.UnescapeDataString(new Uri(page.Url).Query.Split('=', 2)[1]);
                Assert.EndsWith(path, returnUrl, StringComparison.Ordinal);
                await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" })).ToHaveCountAsync(0);
                await browser.ShotAsync(name);
            }

            // A page that does not exist says so, and its navigation offers signing in, not pages that would refuse.
            await browser.GotoAsync("/no-such-page");
            await browser.ExpectPageAsync("Not found");
            var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
            await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Docking Portal" })).ToHaveCountAsync(0);
            await browser.ShotAsync("not-found");

            // Signing in from there goes back to the page asked for.
            await browser.GotoAsync("/audit", interactive: false);
            await Expect(browser.Heading("Sign in")).ToBeVisibleAsync();
            await page.GetByLabel("User name or email").FillAsync(PortalFactory.AdminUserName);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(PortalFactory.AdminPassword);
            await browser.Button("Sign in").ClickAsync();
            await browser.ExpectPageAsync("Audit log");
            await browser.ShotAsync("audit-after-sign-in");
        });
    }
}
