using Microsoft.Playwright;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// The Message Body starts as a plain text box and becomes Monaco once its script has loaded: the hand-over keeps what the
/// box holds, including text the server has not been told about yet.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class CodeEditorHandOverTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task Text_typed_in_the_plain_box_before_monaco_takes_over_is_kept()
    {
        const string typed = """{"text":"typed""";
        const string inFlight = """ fast"}""";
        await portal.Factory.AddClientAsync("hand-over-client");
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "code-editor-hand-over");
        var page = browser.Page;
        // Monaco's editor script waits for the test, so the plain box stays long enough to type into.
        var monacoMayLoad = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/vs/editor/editor.main.js", async route =>
        {
            await monacoMayLoad.Task;
            await route.ContinueAsync();
        });
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/clients/hand-over-client");
            await browser.ExpectPageAsync("hand-over-client");
            var dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            await BrowserSession.FillAsync(dialog.GetByLabel("Name", new() { Exact = true }), "Handed over");
            await BrowserSession.FillAsync(dialog.GetByLabel("URL", new() { Exact = true }), "http://127.0.0.1:9/hook");
            var box = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Message Body", Exact = true });
            await Expect(dialog.Locator(".monaco-editor")).ToHaveCountAsync(0);

            // Typed and left: the server has seen this much.
            await BrowserSession.FillAsync(box, typed);
            // The last keystrokes, whose input events are still on their way when Monaco arrives: in the box, not on the server.
            await box.EvaluateAsync("(box, tail) => { box.value += tail; }", inFlight);
            await browser.ShotAsync("plain-box");

            monacoMayLoad.SetResult();
            await Expect(dialog.Locator(".monaco-editor").First).ToBeVisibleAsync();
            await Expect(box).ToHaveCountAsync(0);
            var inEditor = await page.EvaluateAsync<string[]>("() => monaco.editor.getModels().map(model => model.getValue())");
            Assert.Contains(typed + inFlight, inEditor);
            await browser.ShotAsync("monaco");

            await browser.Button("OK", dialog).ClickAsync();
            await browser.ExpectToastAsync("Webhook created");
            await using var db = await portal.Factory.CreateDbContextAsync();
            Assert.Equal(typed + inFlight, Assert.Single(db.Webhooks).Body);
        });
    }
}
