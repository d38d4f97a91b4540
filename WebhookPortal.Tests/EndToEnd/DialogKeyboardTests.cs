using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// Dialogs answer the keyboard: Enter in a one-line field saves what was typed, Esc closes without saving, and both work
/// from the moment a dialog appears (its first field already has the focus); closing Create Webhook while its code editor
/// is starting leaves the page working.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class DialogKeyboardTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task Enter_saves_the_dialog_with_the_field_just_typed_and_Esc_closes_it_unsaved()
    {
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "dialog-keyboard");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/users");
            await browser.ExpectPageAsync("Users");

            // Enter in the last field, which binds on change: its text must reach the saved user.
            var dialog = await browser.OpenDialogAsync("Create User", "Create User");
            await BrowserSession.FillAsync(dialog.GetByLabel("User name"), "keyboard-kim");
            await BrowserSession.FillAsync(dialog.GetByLabel("Email"), "kim@example.com");
            await BrowserSession.FillAsync(dialog.GetByLabel("Password"), "Key-Board-1");
            await dialog.GetByLabel("Last name").FillAsync("Kim");
            await dialog.GetByLabel("Last name").PressAsync("Enter");
            await browser.ExpectToastAsync("User keyboard-kim created");
            await Expect(dialog).ToBeHiddenAsync();
            await using (var db = await portal.Factory.CreateDbContextAsync())
            {
                var kim = await db.Users.SingleAsync(u => u.UserName == "keyboard-kim");
                Assert.Equal("Kim", kim.LastName);
            }

            // Enter with a field left invalid keeps the dialog open with its message.
            dialog = await browser.OpenDialogAsync("Create User", "Create User");
            await dialog.GetByLabel("User name").FillAsync("keyboard-lee");
            await dialog.GetByLabel("User name").PressAsync("Enter");
            await Expect(dialog.GetByText("Email is required.")).ToBeVisibleAsync();
            await browser.ShotAsync("enter-refused");

            // Esc on what was typed asks first; discarding closes it and nothing is saved.
            await page.Keyboard.PressAsync("Escape");
            await DiscardAsync(browser);
            await Expect(dialog).ToBeHiddenAsync();
            await using (var db = await portal.Factory.CreateDbContextAsync())
            {
                Assert.False(await db.Users.AnyAsync(u => u.UserName == "keyboard-lee"));
            }

            // Docking Portal: Enter in Client ID creates the client.
            await browser.NavigateAsync("Docking Portal", "Docking Portal");
            dialog = await browser.OpenDialogAsync("Create Client", "Create Client");
            await dialog.GetByLabel("Client ID").FillAsync("keyboard-client");
            await dialog.GetByLabel("Client ID").PressAsync("Enter");
            await browser.ExpectToastAsync("Client keyboard-client created");
            var secretDialog = browser.Dialog("Client secret of keyboard-client");
            await browser.Button("Done", secretDialog).ClickAsync();
            await Expect(secretDialog).ToBeHiddenAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "keyboard-client", Exact = true })).ToBeVisibleAsync();

            // Cancel right after Create Webhook opens, while the code editor may still be starting: the page lives on.
            await page.GetByRole(AriaRole.Link, new() { Name = "keyboard-client", Exact = true }).ClickAsync();
            await browser.ExpectPageAsync("keyboard-client");
            for (var i = 0; i < 3; i++)
            {
                dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
                await browser.Button("Cancel", dialog).ClickAsync();
                await Expect(dialog).ToBeHiddenAsync();
            }

            dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            await Expect(dialog.Locator(".monaco-editor").First).ToBeVisibleAsync();
            await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        });
    }

    [Fact]
    public async Task Keys_typed_or_Esc_pressed_as_soon_as_a_dialog_appears_reach_it()
    {
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "dialog-keys-at-once");
        var page = browser.Page;
        await portal.Factory.AddClientAsync("keys-at-once");

        // No waiting for the focus: the keys go wherever the browser's focus is the moment the dialog is visible.
        async Task ExpectTypedAsync(string button, string title, string field, string text)
        {
            var dialog = await browser.OpenDialogAsync(button, title);
            await page.Keyboard.TypeAsync(text);
            await Expect(dialog.GetByLabel(field, new() { Exact = true })).ToHaveValueAsync(text);
            await browser.ShotAsync(title.ToLowerInvariant().Replace(' ', '-') + "-typed");
            await page.Keyboard.PressAsync("Escape");
            await DiscardAsync(browser);
            await Expect(dialog).ToBeHiddenAsync();
        }

        async Task ExpectEscClosesAsync(string button, string title)
        {
            var dialog = await browser.OpenDialogAsync(button, title);
            await page.Keyboard.PressAsync("Escape");
            await Expect(dialog).ToBeHiddenAsync();
        }

        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/clients");
            await browser.ExpectPageAsync("Docking Portal");
            await ExpectTypedAsync("Create Client", "Create Client", "Client ID", "typed-at-once");
            await ExpectEscClosesAsync("Create Client", "Create Client");

            // A confirmation opens with the focus still on the page: Esc at once cancels it.
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete client keys-at-once" }).ClickAsync();
            var confirmation = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete client" });
            await Expect(confirmation).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(confirmation).ToBeHiddenAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "keys-at-once", Exact = true })).ToBeVisibleAsync();

            await browser.NavigateAsync("Users", "Users");
            await ExpectTypedAsync("Create User", "Create User", "User name", "typed.at.once");
            await ExpectEscClosesAsync("Create User", "Create User");

            await page.EvaluateAsync("path => Blazor.navigateTo(path)", "clients/keys-at-once");
            await browser.ExpectPageAsync("keys-at-once");
            await ExpectTypedAsync("Create Webhook", "Create Webhook", "Name", "Typed at once");
            await ExpectEscClosesAsync("Create Webhook", "Create Webhook");
            var dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            await Expect(dialog.Locator(".monaco-editor").First).ToBeVisibleAsync();
            await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();

            // Esc in an open list closes the list, not the dialog with everything typed so far.
            await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("Kept through Esc");
            await dialog.GetByLabel("Action", new() { Exact = true }).ClickAsync();
            var options = page.Locator(".mud-popover-open [role=option]");
            await Expect(options.First).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(options).ToHaveCountAsync(0);
            await Expect(dialog.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Kept through Esc");
            await page.Keyboard.PressAsync("Escape");
            await DiscardAsync(browser);
            await Expect(dialog).ToBeHiddenAsync();

            await using var db = await portal.Factory.CreateDbContextAsync();
            Assert.False(await db.Clients.AnyAsync(c => c.ClientId == "typed-at-once"));
            Assert.False(await db.Users.AnyAsync(u => u.UserName == "typed.at.once"));
        });
    }

    // Esc on a changed form asks "Discard changes?"; the test discards.
    private static async Task DiscardAsync(BrowserSession browser)
    {
        var confirmation = browser.Dialog("Discard changes?");
        await Expect(confirmation).ToBeVisibleAsync();
        await browser.Button("Discard", confirmation).ClickAsync();
        await Expect(confirmation).ToBeHiddenAsync();
    }
}
