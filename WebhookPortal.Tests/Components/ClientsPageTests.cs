using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Components;

/// <summary>The Docking Portal (list of clients) on a real SQLite file.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ClientsPageTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";
    private const string Table = ".mud-table";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        var now = DateTime.UtcNow;
        db.Clients.AddRange(
            new Client
            {
                ClientId = "demo-client",
                Description = "The demo",
                CreatedAt = now,
                Webhooks = [NewWebhook("Demo users", now), NewWebhook("Demo logins", now)],
            },
            new Client { ClientId = "hr-system", CreatedAt = now, Webhooks = [NewWebhook("HR users", now)] },
            new Client { ClientId = "wecom-bridge", CreatedAt = now });
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Lists_the_clients_with_their_webhook_counts()
    {
        var cut = RenderPage();

        Assert.Equal(["demo-client", "hr-system", "wecom-bridge"], ClientIds(cut));
        Assert.Equal(["2", "1", "0"], cut.FindAll("tbody tr td[data-label='Webhooks']").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task Create_client_saves_the_client_and_confirms_it()
    {
        var cut = RenderPage();

        var creating = await cut.ClickAsync(null, "Create Client");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Client ID", "crm-sync");
        await cut.FillAsync(Dialog, "Description", "CRM synchronisation");
        await cut.ClickAsync(Dialog, "OK");

        // A confidential client (the default): its secret is shown once, until Done.
        cut.WaitForAssertion(() => Assert.Contains("Copy it now: it will not be shown again.", cut.Find(Dialog).TextContent), Timeout);
        await cut.ClickAsync(Dialog, "Done");
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Client crm-sync created", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Contains("crm-sync", ClientIds(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        var client = await db.Clients.SingleAsync(c => c.ClientId == "crm-sync");
        Assert.Equal("CRM synchronisation", client.Description);
    }

    [Fact]
    public async Task A_description_over_the_limit_is_counted_and_refused_with_a_message()
    {
        var cut = RenderPage();

        var creating = await cut.ClickAsync(null, "Create Client");
        cut.WaitForElement(Dialog, Timeout);
        Assert.Contains($"0 / {Client.DescriptionMaxLength}", cut.Find(Dialog).TextContent);
        await cut.FillAsync(Dialog, "Client ID", "long-description");
        await cut.FillAsync(Dialog, "Description", new string('d', Client.DescriptionMaxLength + 1));
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains($"Description must be at most {Client.DescriptionMaxLength} characters.", cut.Find(Dialog).TextContent), Timeout);
        Assert.Contains($"{Client.DescriptionMaxLength + 1} / {Client.DescriptionMaxLength}", cut.Find(Dialog).TextContent);
        Assert.False(creating.IsCompleted);
        await using var db = await NewDbContextAsync();
        Assert.False(await db.Clients.AnyAsync(c => c.ClientId == "long-description"));
    }

    [Fact]
    public async Task A_client_id_differing_only_in_case_is_refused_and_the_dialog_reopens_with_the_typed_value()
    {
        var cut = RenderPage();

        var creating = await cut.ClickAsync(null, "Create Client");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Client ID", "DEMO-CLIENT");
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains("Client ID 'DEMO-CLIENT' already exists as 'demo-client'", cut.Find(Dialog).TextContent), Timeout);
        Assert.Equal("DEMO-CLIENT", cut.Find(Dialog).ByLabel("Client ID").GetAttribute("value"));
        Assert.False(creating.IsCompleted);
        await using (var db = await NewDbContextAsync())
        {
            Assert.Equal(["demo-client", "hr-system", "wecom-bridge"], await db.Clients.OrderBy(c => c.ClientId).Select(c => c.ClientId).ToListAsync());
        }

        await cut.CancelAndDiscardAsync(Dialog);
        await creating.WaitAsync(Timeout);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Dialog)), Timeout);
    }

    [Fact]
    public async Task Search_ignores_case()
    {
        var cut = RenderPage();

        await cut.FillAsync(Table, "Search client IDs", "DEMO");
        cut.WaitForAssertion(() => Assert.Equal(["demo-client"], ClientIds(cut)), Timeout);

        await cut.FillAsync(Table, "Search client IDs", "nobody");
        cut.WaitForAssertion(() => Assert.Contains("No client ID matches the search.", cut.Find(Table).TextContent), Timeout);
    }

    [Fact]
    public async Task Canceling_the_delete_confirmation_keeps_the_client()
    {
        var cut = RenderPage();

        var deleting = await cut.ClickAsync(null, "Delete client demo-client");
        cut.WaitForAssertion(() => Assert.Contains("Delete client demo-client and its 2 webhook(s)?", cut.Find(Dialog).TextContent), Timeout);
        await cut.ClickAsync(Dialog, "Cancel");
        await deleting.WaitAsync(Timeout);

        await using var db = await NewDbContextAsync();
        Assert.True(await db.Clients.AnyAsync(c => c.ClientId == "demo-client"));
        Assert.Equal(2, await db.Webhooks.CountAsync(w => w.Client!.ClientId == "demo-client"));
        Assert.Contains("demo-client", ClientIds(cut));
    }

    [Fact]
    public async Task Confirmed_delete_removes_the_client_and_its_webhooks_and_cancels_only_its_pending_deliveries()
    {
        var pending = await AddDeliveryAsync("Demo users", DeliveryStatus.Pending);
        var succeeded = await AddDeliveryAsync("Demo users", DeliveryStatus.Succeeded);
        var otherClientsPending = await AddDeliveryAsync("HR users", DeliveryStatus.Pending);
        var cut = RenderPage();

        var deleting = await cut.ClickAsync(null, "Delete client demo-client");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Type the Client ID demo-client to confirm", "demo-client");
        await cut.ClickAsync(Dialog, "Delete");
        await deleting.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Client demo-client deleted", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Equal(["hr-system", "wecom-bridge"], ClientIds(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.False(await db.Clients.AnyAsync(c => c.ClientId == "demo-client"));
        Assert.Equal(["HR users"], await db.Webhooks.Select(w => w.Name).ToListAsync());
        var deliveries = await db.Deliveries.ToDictionaryAsync(d => d.Id);
        Assert.Equal(DeliveryStatus.Cancelled, deliveries[pending].Status);
        Assert.Null(deliveries[pending].WebhookId);
        Assert.NotNull(deliveries[pending].CompletedAt);
        Assert.Equal(DeliveryStatus.Succeeded, deliveries[succeeded].Status);
        Assert.Equal(DeliveryStatus.Pending, deliveries[otherClientsPending].Status);
    }

    [Fact]
    public async Task Deleting_a_client_with_webhooks_is_enabled_only_once_its_Client_ID_is_typed_exactly()
    {
        var cut = RenderPage();

        var deleting = await cut.ClickAsync(null, "Delete client demo-client");
        cut.WaitForAssertion(() => Assert.Contains("Delete client demo-client and its 2 webhook(s)?", cut.Find(Dialog).TextContent), Timeout);
        Assert.True(DeleteButton(cut).HasAttribute("disabled"));

        // Near misses: another case, a space around it, part of it.
        foreach (var miss in new[] { "DEMO-CLIENT", " demo-client", "demo-client ", "demo-clien" })
        {
            await cut.FillAsync(Dialog, "Type the Client ID demo-client to confirm", miss);
            cut.WaitForAssertion(() => Assert.True(DeleteButton(cut).HasAttribute("disabled"), miss), Timeout);
        }

        await cut.FillAsync(Dialog, "Type the Client ID demo-client to confirm", "demo-client");
        cut.WaitForAssertion(() => Assert.False(DeleteButton(cut).HasAttribute("disabled")), Timeout);
        await cut.FillAsync(Dialog, "Type the Client ID demo-client to confirm", "hr-system");
        cut.WaitForAssertion(() => Assert.True(DeleteButton(cut).HasAttribute("disabled")), Timeout);

        await cut.ClickAsync(Dialog, "Cancel");
        await deleting.WaitAsync(Timeout);
        await using var db = await NewDbContextAsync();
        Assert.True(await db.Clients.AnyAsync(c => c.ClientId == "demo-client"));
    }

    [Fact]
    public async Task A_client_without_webhooks_is_deleted_after_a_plain_confirmation()
    {
        var cut = RenderPage();

        var deleting = await cut.ClickAsync(null, "Delete client wecom-bridge");
        cut.WaitForAssertion(() => Assert.Contains("Delete client wecom-bridge and its 0 webhook(s)?", cut.Find(Dialog).TextContent), Timeout);
        Assert.Empty(cut.Find(Dialog).QuerySelectorAll("input"));
        await cut.ClickAsync(Dialog, "Delete");
        await deleting.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Client wecom-bridge deleted", Toasts(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.False(await db.Clients.AnyAsync(c => c.ClientId == "wecom-bridge"));
    }

    private static AngleSharp.Dom.IElement DeleteButton(IRenderedComponent<MudProviders> cut) =>
        cut.Find(Dialog).QuerySelector("button[data-dialog-submit]")!;

    /// <summary>Renders the page and waits for its first page of clients, which the table loads after the first render.</summary>
    private IRenderedComponent<MudProviders> RenderPage()
    {
        var cut = RenderWithProviders<ClientsPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, ClientIds(cut).Count), Timeout);
        return cut;
    }

    private static List<string> ClientIds(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll("tbody tr td[data-label='Client ID']").Select(td => td.TextContent.Trim())];
}
