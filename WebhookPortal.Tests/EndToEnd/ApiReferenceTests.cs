using WebhookPortal.Features.Api;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>The API reference page renders the OpenAPI document from the portal's own assets and calls nothing outside it.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class ApiReferenceTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task Shows_the_operations_without_outside_requests_or_AI_and_SDK_buttons()
    {
        var baseAddress = portal.Factory.ServerAddress;
        await using var browser = await BrowserSession.OpenAsync(chromium, baseAddress, "api-reference");
        var outside = new List<string>();
        browser.Page.Request += (_, request) =>
        {
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var url) && url.Scheme.StartsWith("http", StringComparison.Ordinal) && url.Authority != baseAddress.Authority)
            {
                lock (outside)
                {
                    outside.Add(request.Url);
                }
            }
        };

        await browser.RunAsync(async () =>
        {
            await browser.GotoAsync(ApiExtensions.ReferencePath + "/", interactive: false);
            await Expect(browser.Page.GetByText("List client IDs").First).ToBeVisibleAsync();
            await browser.ShotAsync("reference");

            await Expect(browser.Page.GetByText("Ask AI")).ToHaveCountAsync(0);
            await Expect(browser.Page.GetByText("Generate SDK")).ToHaveCountAsync(0);
        });
        lock (outside)
        {
            Assert.Empty(outside);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Follows_the_portal_theme(bool dark)
    {
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, dark ? "api-reference-dark" : "api-reference-light", dark: dark);
        await browser.RunAsync(async () =>
        {
            await browser.GotoAsync(ApiExtensions.ReferencePath + "/", interactive: false);
            await Expect(browser.Page.GetByText("List client IDs").First).ToBeVisibleAsync();
            var body = browser.Page.Locator("body");
            if (dark)
            {
                await Expect(body).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bdark-mode\b"));
            }
            else
            {
                await Expect(body).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bdark-mode\b"));
            }

            await browser.ShotAsync("reference");
        });
    }
}
