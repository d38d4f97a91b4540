using Bunit;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// Editing a webhook or a client that someone else changed while the dialog was open: the save is refused with a clear
/// message, the dialog keeps what was typed, and Reload opens it again on what is stored now.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class StaleEditDialogTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";
    private const string OtherUrl = "https://other.example.com/hook";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        var now = DateTime.UtcNow;
        db.Clients.Add(new Client { ClientId = "demo-client", Description = "The demo", CreatedAt = now, Webhooks = [NewWebhook("New users", now)] });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_webhook_changed_meanwhile_is_not_overwritten_the_input_stays_and_reload_shows_the_other_change()
    {
        var cut = RenderPage();
        var editing = await cut.ClickAsync(null, "Edit webhook New users");
        cut.WaitForElement(Dialog, Timeout);
        await ChangeInAnotherTabAsync();

        await cut.FillAsync(Dialog, "Name", "My edit");
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains(WebhookAdministration.StaleMessage, cut.Find(Dialog).TextContent), Timeout);
        Assert.Equal("My edit", cut.Find(Dialog).ByLabel("Name").GetAttribute("value"));
        Assert.False(editing.IsCompleted);
        await using (var db = await NewDbContextAsync())
        {
            var stored = await db.Webhooks.SingleAsync();
            Assert.Equal(("New users", OtherUrl), (stored.Name, stored.Url));
        }

        await cut.ClickAsync(Dialog, "Reload");

        cut.WaitForAssertion(() => Assert.Equal(OtherUrl, cut.Find(Dialog).ByLabel("URL").GetAttribute("value")), Timeout);
        Assert.Equal("New users", cut.Find(Dialog).ByLabel("Name").GetAttribute("value"));
        Assert.DoesNotContain(WebhookAdministration.StaleMessage, cut.Find(Dialog).TextContent, StringComparison.Ordinal);
        await cut.FillAsync(Dialog, "Name", "My edit");
        await cut.ClickAsync(Dialog, "OK");
        await editing.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Webhook saved", Toasts(cut)), Timeout);
        await using (var db = await NewDbContextAsync())
        {
            var stored = await db.Webhooks.SingleAsync();
            Assert.Equal(("My edit", OtherUrl), (stored.Name, stored.Url));
        }
    }

    [Fact]
    public async Task A_client_changed_meanwhile_is_not_overwritten_and_the_dialog_keeps_the_input()
    {
        var cut = RenderPage();
        var editing = await cut.ClickAsync(null, "Edit");
        cut.WaitForElement(Dialog, Timeout);
        await using (var db = await NewDbContextAsync())
        {
            await db.Clients.ExecuteUpdateAsync(s => s.SetProperty(c => c.Description, "Their description").SetProperty(c => c.Version, c => c.Version + 1));
        }

        await cut.FillAsync(Dialog, "Description", "My description");
        await cut.ClickAsync(Dialog, "Save");

        cut.WaitForAssertion(() => Assert.Contains(ClientAdministration.StaleMessage, cut.Find(Dialog).TextContent), Timeout);
        Assert.Equal("My description", cut.Find(Dialog).ByLabel("Description").TextContent);
        await using (var db = await NewDbContextAsync())
        {
            Assert.Equal("Their description", (await db.Clients.SingleAsync()).Description);
        }

        await cut.ClickAsync(Dialog, "Reload");
        cut.WaitForAssertion(() => Assert.Equal("Their description", cut.Find(Dialog).ByLabel("Description").TextContent), Timeout);
        await cut.ClickAsync(Dialog, "Cancel");
        await editing.WaitAsync(Timeout);
    }

    private async Task ChangeInAnotherTabAsync()
    {
        await using var db = await NewDbContextAsync();
        await db.Webhooks.ExecuteUpdateAsync(s => s.SetProperty(w => w.Url, OtherUrl).SetProperty(w => w.Version, w => w.Version + 1));
    }

    private IRenderedComponent<MudProviders> RenderPage()
    {
        var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr td[data-label='Name']")), Timeout);
        return cut;
    }
}
