using Microsoft.Playwright;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>The README's walkthrough in a real browser: a webhook into the built-in Inbox, fired by creating a user.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class WalkthroughTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task Creating_a_user_delivers_the_default_body_to_the_Inbox_and_the_delivery_shows_succeeded()
    {
        var baseAddress = portal.Factory.ServerAddress;
        await using var browser = await BrowserSession.OpenAsync(chromium, baseAddress, "walkthrough");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {

        // 1. Sign in.
        await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
        await browser.WaitForInteractiveAsync();
        await browser.ShotAsync("home");

        // 2. Docking Portal → Create Client.
        await browser.NavigateAsync("Docking Portal", "Docking Portal");
        var clientDialog = await browser.OpenDialogAsync("Create Client", "Create Client");
        await BrowserSession.FillAsync(clientDialog.GetByLabel("Client ID"), "demo-client");
        await browser.ShotAsync("create-client");
        await browser.Button("OK", clientDialog).ClickAsync();
        await browser.ExpectToastAsync("Client demo-client created");
        await Expect(clientDialog).ToBeHiddenAsync();
        // A confidential client (the default): its secret is shown once, until Done.
        var secretDialog = browser.Dialog("Client secret of demo-client");
        await Expect(secretDialog.GetByText("Copy it now: it will not be shown again.")).ToBeVisibleAsync();
        await Expect(secretDialog.GetByLabel("Client secret", new() { Exact = true })).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^cs_"));
        await browser.ShotAsync("client-secret");
        await browser.Button("Done", secretDialog).ClickAsync();
        await Expect(secretDialog).ToBeHiddenAsync();
        await browser.ShotAsync("clients");

        // 3. The client → Create Webhook toward the Inbox, default body.
        await page.GetByRole(AriaRole.Link, new() { Name = "demo-client", Exact = true }).ClickAsync();
        await browser.ExpectPageAsync("demo-client");
        var webhookDialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
        await BrowserSession.FillAsync(webhookDialog.GetByLabel("Name", new() { Exact = true }), "Inbox demo");
        await Expect(webhookDialog.GetByLabel("Action", new() { Exact = true })).ToHaveValueAsync("Create");
        await BrowserSession.FillAsync(webhookDialog.GetByLabel("URL", new() { Exact = true }), new Uri(baseAddress, "inbox/demo").ToString());
        await browser.ShotAsync("create-webhook");
        await browser.Button("OK", webhookDialog).ClickAsync();
        await browser.ExpectToastAsync("Webhook created");
        await Expect(webhookDialog).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Inbox demo", Exact = true })).ToBeVisibleAsync();
        await browser.ShotAsync("client");

        // 4. Users → Create User.
        await browser.NavigateAsync("Users", "Users");
        var userDialog = await browser.OpenDialogAsync("Create User", "Create User");
        await BrowserSession.FillAsync(userDialog.GetByLabel("User name"), "zhangwei");
        await BrowserSession.FillAsync(userDialog.GetByLabel("Email"), "zhangwei@example.com");
        await BrowserSession.FillAsync(userDialog.GetByLabel("First name"), "Wei");
        await BrowserSession.FillAsync(userDialog.GetByLabel("Last name"), "Zhang");
        await BrowserSession.FillAsync(userDialog.GetByLabel("Password"), "Zhang-Wei-1");
        await browser.ShotAsync("create-user");
        await browser.Button("OK", userDialog).ClickAsync();
        await browser.ExpectToastAsync("User zhangwei created");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "zhangwei@example.com", Exact = true })).ToBeVisibleAsync();
        await browser.ShotAsync("users");

        // 5. Inbox: the default body with the user's values.
        await browser.NavigateAsync("Inbox", "Inbox");
        var message = page.GetByTestId("inbox-message").Filter(new() { HasText = "zhangwei@example.com" });
        await Expect(message).ToBeVisibleAsync();
        var body = message.Locator("pre").First;
        await Expect(body).ToContainTextAsync("\"username\": \"zhangwei\"");
        await Expect(body).ToContainTextAsync("\"email\": \"zhangwei@example.com\"");
        await Expect(body).ToContainTextAsync("\"first_name\": \"Wei\"");
        await Expect(body).ToContainTextAsync("\"last_name\": \"Zhang\"");
        await Expect(body).ToContainTextAsync("\"enabled\": \"true\"");
        await Expect(message).ToContainTextAsync("/inbox/demo");
        await browser.ShotAsync("inbox");

        // 6. Deliveries: succeeded; its page shows the request and the attempt.
        await browser.NavigateAsync("Deliveries", "Deliveries");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "user.created" }).Filter(new() { HasText = "demo-client / Inbox demo" });
        await Expect(row).ToContainTextAsync("Succeeded");
        await Expect(row).ToContainTextAsync("zhangwei");
        await browser.ShotAsync("deliveries");
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await browser.ExpectPageAsync("user.created → Inbox demo");
        await Expect(page.GetByText("Succeeded").First).ToBeVisibleAsync();
        await browser.ShotAsync("delivery");
        });
    }
}
