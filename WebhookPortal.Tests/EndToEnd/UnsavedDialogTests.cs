using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// A half-filled Create Webhook with a signing secret just generated and copied survives a click beside it, Esc, Back and
/// Reload until its input is discarded; at 768 px the labels of buttons, chips and table cells keep their words whole; and a
/// prerendered page disables its controls until it is interactive.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class UnsavedDialogTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    // Words of up to 16 characters inside buttons, chips, alerts and table cells that the layout broke across two lines
    // (each word's rectangles lie on more than one line). Longer ones are typed values that may break anywhere.
    private const string BrokenWords = """
        () => {
          const broken = [];
          for (const root of document.querySelectorAll('.mud-main-content :is(button, th, td, .mud-chip, .mud-alert)')) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (const match of node.data.matchAll(/\S+/g)) {
                if (match[0].length > 16) continue;
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(match[0]);
              }
            }
          }
          return broken;
        }
        """;

    [Fact]
    public async Task A_changed_Create_Webhook_stays_through_a_click_beside_it_Esc_Back_and_Reload_until_discarded()
    {
        await portal.Factory.AddClientAsync("unsaved-client");
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "unsaved-dialog");
        var page = browser.Page;
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var prompts = new List<string>();
        page.Dialog += async (_, prompt) =>
        {
            lock (prompts)
            {
                prompts.Add(prompt.Type);
            }

            // Stay on the page, as someone who answered "Cancel" to "Leave site?".
            await prompt.DismissAsync();
        };

        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/clients");
            await browser.ExpectPageAsync("Docking Portal");
            await page.GetByRole(AriaRole.Link, new() { Name = "unsaved-client", Exact = true }).ClickAsync();
            await browser.ExpectPageAsync("unsaved-client");

            var dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            var name = dialog.GetByLabel("Name", new() { Exact = true });
            await BrowserSession.FillAsync(name, "Half filled");
            await browser.Button("Generate signing secret", dialog).ClickAsync();
            var secretField = dialog.GetByLabel("New signing secret", new() { Exact = true });
            await Expect(secretField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
            var secret = await secretField.InputValueAsync();

            // Copy puts the secret itself on the clipboard.
            await browser.Button("Copy New signing secret", dialog).ClickAsync();
            await browser.ExpectToastAsync("New signing secret copied");
            Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

            // A click beside the dialog (on the backdrop over the navigation) leaves it open.
            await page.Mouse.ClickAsync(10, 450);

            // Esc asks; Esc on the question keeps editing.
            await page.Keyboard.PressAsync("Escape");
            var discard = browser.Dialog("Discard changes?");
            await Expect(discard).ToBeVisibleAsync();
            await Expect(browser.Button("Discard", discard)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled-error"));
            await browser.ShotAsync("esc-asks");
            await page.Keyboard.PressAsync("Escape");
            await Expect(discard).ToBeHiddenAsync();
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(name).ToHaveValueAsync("Half filled");
            await Expect(secretField).ToHaveValueAsync(secret);

            // Back asks too; keeping on editing stays on the page.
            await page.EvaluateAsync("() => history.back()");
            await Expect(discard).ToBeVisibleAsync();
            await browser.Button("Keep editing", discard).ClickAsync();
            await Expect(discard).ToBeHiddenAsync();
            await Expect(browser.Heading("unsaved-client")).ToBeVisibleAsync();
            await Expect(secretField).ToHaveValueAsync(secret);

            // Reload: the browser's own "Leave site?" prompt (beforeunload); answered "stay", everything is still there.
            await page.EvaluateAsync("() => location.reload()");
            await Eventually.MatchesAsync(() => Task.FromResult(Prompts()), p => p.Count > 0, "the browser's prompt on Reload");
            Assert.Equal(["beforeunload"], Prompts());
            await Expect(secretField).ToHaveValueAsync(secret);
            await Expect(name).ToHaveValueAsync("Half filled");

            // Discarding on Cancel closes it, and the page works on.
            await browser.Button("Cancel", dialog).ClickAsync();
            await browser.Button("Discard", discard).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();

            // An unchanged dialog closes on Esc at once, without a question.
            dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            await page.Keyboard.PressAsync("Escape");
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(discard).ToHaveCountAsync(0);

            // Text still in its field (bound on change, not sent to the server yet) is guarded on Reload too.
            dialog = await browser.OpenDialogAsync("Create Webhook", "Create Webhook");
            await name.PressSequentiallyAsync("Not sent yet");
            await page.EvaluateAsync("() => location.reload()");
            await Eventually.MatchesAsync(() => Task.FromResult(Prompts()), p => p.Count > 1, "the browser's prompt on Reload with unsent text");
            await Expect(name).ToHaveValueAsync("Not sent yet");
        });

        List<string> Prompts()
        {
            lock (prompts)
            {
                return [.. prompts];
            }
        }
    }

    [Fact]
    public async Task At_768_px_buttons_chips_and_table_cells_keep_their_words_whole()
    {
        await portal.Factory.AddWebhookAsync("https://example.com/gone", UserAction.Created, clientId: "narrow-client", name: "Gone away", enabled: false);
        await using (var db = await portal.Factory.CreateDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Name == "Gone away").ExecuteUpdateAsync(s => s.SetProperty(
                w => w.DisabledReason, "Disabled on 2026-11-29 10:00 UTC: the receiver answered 410 Gone."));
            db.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, ActorName = "system", Action = "webhook.disabled", Subject = "webhook Gone away (client narrow-client)" });
            await db.SaveChangesAsync();
        }

        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "narrow-labels", width: 768);
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/clients/narrow-client");
            await browser.ExpectPageAsync("narrow-client");
            await Expect(browser.Button("Re-enable webhook Gone away")).ToBeVisibleAsync();

            // 768 px shows tables as cards; 1024 px as tables beside the navigation, where columns are squeezed.
            foreach (var width in new[] { 768, 1024 })
            {
                await browser.Page.SetViewportSizeAsync(width, 900);
                foreach (var (path, heading) in new[] { ("/clients/narrow-client", "narrow-client"), ("/audit", "Audit log"), ("/clients", "Docking Portal"), ("/users", "Users"), ("/deliveries", "Deliveries") })
                {
                    await browser.GotoAsync(path);
                    await browser.ExpectPageAsync(heading);
                    await browser.ShotAsync($"{width}-{path.Replace('/', '-').Trim('-')}");
                    Assert.Empty(await browser.Page.EvaluateAsync<string[]>(BrokenWords));
                }
            }
        });
    }

    [Fact]
    public async Task Until_a_page_is_interactive_its_controls_are_disabled_and_it_says_loading()
    {
        await portal.Factory.AddClientAsync("starting-client");
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "not-yet-interactive");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/clients");
            await browser.ExpectPageAsync("Docking Portal");

            // Without Blazor's script the prerendered page never becomes interactive: what it shows is what a slow start shows.
            await page.RouteAsync("**/_framework/blazor.web*.js", route => route.AbortAsync());
            await browser.GotoAsync("/clients/starting-client", interactive: false);
            await Expect(browser.Heading("starting-client")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Status).GetByText("Loading…")).ToBeVisibleAsync();
            await Expect(browser.Button("Create Webhook").First).ToBeDisabledAsync();
            await Expect(browser.Button("Dark theme")).ToBeDisabledAsync();
            await browser.ShotAsync("prerendered");

            await page.UnrouteAsync("**/_framework/blazor.web*.js");
            await browser.GotoAsync("/clients/starting-client");
            await browser.ExpectPageAsync("starting-client");
            await Expect(browser.Button("Create Webhook").First).ToBeEnabledAsync();
            await Expect(page.GetByText("Loading…")).ToHaveCountAsync(0);
        });
    }
}
