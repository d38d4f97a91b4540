using System.Text.RegularExpressions;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>The Create Webhook dialog refuses an unknown variable typed into the Monaco editor, and a bad URL, with their messages.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class WebhookValidationTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task An_unknown_variable_and_a_bad_url_are_refused_in_the_dialog_with_their_messages()
    {
        await portal.Factory.AddClientAsync("checked-client");
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "webhook-validation");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/clients/checked-client");
            await browser.ExpectPageAsync("checked-client");
            var dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            await BrowserSession.FillAsync(dialog.GetByLabel("Name", new() { Exact = true }), "Checked");

            // A URL that is not an absolute http(s) address.
            await BrowserSession.FillAsync(dialog.GetByLabel("URL", new() { Exact = true }), "ftp://example.com/hook");
            await Expect(dialog.GetByText("URL must be an absolute http:// or https:// address.").Filter(new() { Visible = true })).ToBeVisibleAsync();

            // Monaco is a real editor: click into it, select everything and type a body with a misspelt variable.
            // The text goes in as one insertion, so Monaco's auto-closing of quotes and braces does not double them.
            // Monaco's own text area, once it has replaced the plain box it starts as (typing into the box as it goes is lost).
            // Monaco may add its rename box, another .monaco-editor, beside the editor.
            await Expect(dialog.Locator(".monaco-editor").First).ToBeVisibleAsync();
            var editor = dialog.Locator(".monaco-editor textarea").First;
            await editor.FocusAsync();
            await page.Keyboard.PressAsync("ControlOrMeta+A");
            await page.Keyboard.PressAsync("Delete");
            await page.Keyboard.InsertTextAsync("""{"text": "{{$$.Nmae$$}} joined"}""");
            await Expect(dialog.GetByText(new Regex(@"^Line 1, column 11: Unknown variable \{\{\$\$\.Nmae\$\$\}\}; did you mean \{\{\$\$\.Name\$\$\}\}\?$")).Filter(new() { Visible = true })).ToBeVisibleAsync();
            await browser.ShotAsync("refused-fields");

            await browser.Button("OK", dialog).ClickAsync();
            await Expect(dialog.GetByText("Not saved: fix the fields marked in red")).ToBeVisibleAsync();
            await Expect(dialog).ToBeVisibleAsync();
            await browser.ShotAsync("not-saved");

            // Only the body is wrong now, its message below the fold: a refused OK scrolls it into sight.
            await BrowserSession.FillAsync(dialog.GetByLabel("URL", new() { Exact = true }), "http://127.0.0.1:9/hook");
            await Expect(dialog.GetByText("URL must be an absolute").Filter(new() { Visible = true })).ToHaveCountAsync(0);
            var bodyError = dialog.Locator(".code-editor-error").First;
            await dialog.Locator(".mud-dialog-content").EvaluateAsync("content => content.scrollTop = 0");
            await Expect(bodyError).Not.ToBeInViewportAsync();
            await browser.Button("OK", dialog).ClickAsync();
            await Expect(bodyError).ToBeInViewportAsync();
            await browser.ShotAsync("body-error-revealed");

            // Corrected, the same dialog saves.
            await editor.FocusAsync();
            await page.Keyboard.PressAsync("ControlOrMeta+A");
            await page.Keyboard.PressAsync("Delete");
            await page.Keyboard.InsertTextAsync("""{"text": "{{$$.Name$$}} joined"}""");
            await Expect(dialog.GetByText("Unknown variable").Filter(new() { Visible = true })).ToHaveCountAsync(0);
            await Expect(dialog.GetByText("URL must be an absolute").Filter(new() { Visible = true })).ToHaveCountAsync(0);
            await browser.Button("OK", dialog).ClickAsync();
            await browser.ExpectToastAsync("Webhook created");
            await browser.ShotAsync("saved");

            await using var db = await portal.Factory.CreateDbContextAsync();
            var saved = Assert.Single(db.Webhooks);
            Assert.Equal("""{"text": "{{$$.Name$$}} joined"}""", saved.Body);
        });
    }
}
