using Microsoft.Playwright;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>A WeCom robot that refuses the message shows as a failed delivery with its error; Redeliver after the fix succeeds.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class WeComTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task A_WeCom_errcode_fails_the_delivery_with_its_message_and_Redeliver_succeeds_once_the_robot_is_fixed()
    {
        await using var robot = await LoopbackReceiver.StartAsync();
        robot.RespondWith(200, """{"errcode":93000,"errmsg":"invalid webhook url, hint: e2e"}""");
        await portal.Factory.AddClientAsync("wecom-client");
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "wecom");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/clients/wecom-client");
            await browser.ExpectPageAsync("wecom-client");

            // A loopback URL is not recognised as WeCom: the Target select says so, and an untouched body follows it.
            var dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            await BrowserSession.FillAsync(dialog.GetByLabel("Name", new() { Exact = true }), "WeCom robot");
            await BrowserSession.FillAsync(dialog.GetByLabel("URL", new() { Exact = true }), robot.Url("/cgi-bin/webhook/send?key=e2e-key"));
            await dialog.GetByLabel("Target", new() { Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "WeCom", Exact = true }).ClickAsync();
            await Expect(dialog.GetByText("The body is now the WeCom text preset")).ToBeVisibleAsync();
            await Expect(dialog.GetByText("\"msgtype\": \"text\"").First).ToBeVisibleAsync();
            await browser.ShotAsync("create-webhook-wecom");
            await browser.Button("OK", dialog).ClickAsync();
            await browser.ExpectToastAsync("Webhook created");
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "WeCom robot" })).ToContainTextAsync("WeCom");
            await browser.ShotAsync("client");

            // A user event fires it; WeCom's errcode 93000 is permanent: Failed at once, with WeCom's message.
            await portal.Factory.CreateUserAsync(PortalData.NewUser("robotfan", "Robot", "Fan"));
            await robot.WaitForRequestAsync(TimeSpan.FromSeconds(20));
            await browser.NavigateAsync("Deliveries", "Deliveries");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "wecom-client / WeCom robot" });
            await Expect(row).ToContainTextAsync("Failed");
            await Expect(row).ToContainTextAsync("93000");
            await Expect(row).ToContainTextAsync("invalid webhook url, hint: e2e");
            await browser.ShotAsync("deliveries-failed");

            await row.GetByRole(AriaRole.Link).First.ClickAsync();
            await browser.ExpectPageAsync("user.created → WeCom robot");
            await Expect(page.GetByRole(AriaRole.Cell).Filter(new() { HasText = "invalid webhook url, hint: e2e" }).First).ToBeVisibleAsync();
            await browser.ShotAsync("delivery-failed");

            // The robot is fixed; Redeliver sends the same message again and it succeeds.
            robot.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");
            await browser.Button("Redeliver").ClickAsync();
            await browser.ExpectToastAsync("Redelivery queued (same webhook-id)");
            await Expect(page.GetByText("Succeeded", new() { Exact = true }).First).ToBeVisibleAsync();
            await browser.ShotAsync("delivery-succeeded");

            var sent = robot.Requests;
            Assert.Equal(2, sent.Count);
            Assert.Equal(sent[0].Header("webhook-id"), sent[1].Header("webhook-id"));
            Assert.Contains("robotfan", sent[1].Body, StringComparison.Ordinal);
        });
    }
}
