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
}
