using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

/// <summary>A client's page (its webhooks) on a real SQLite file.</summary>
public sealed class ClientPageTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";

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
                Webhooks = [NewWebhook("New users", now), NewWebhook("Logins", now)],
            },
            new Client { ClientId = "hr-system", CreatedAt = now, Webhooks = [NewWebhook("HR users", now)] });
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Lists_the_webhooks_of_the_client_only()
    {
        var cut = RenderPage("demo-client");

        Assert.Equal(["Logins", "New users"], WebhookNames(cut));
        Assert.Contains("The demo", cut.Markup);
    }

    [Fact]
    public void An_unknown_client_id_says_it_does_not_exist()
    {
        var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "no-such-client")));

        cut.WaitForAssertion(() => Assert.Contains("Client ID no-such-client does not exist.", cut.Find(".mud-alert").TextContent), Timeout);
        Assert.Empty(cut.FindAll(".mud-table"));
    }

    [Fact]
    public async Task Create_webhook_stores_the_defaults_and_confirms_it()
    {
        var cut = RenderPage("demo-client");

        var creating = await cut.ClickAsync(null, "Create Webhook");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Name", "To WeCom");
        await cut.FillAsync(Dialog, "URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc");
        await cut.ClickAsync(Dialog, "OK");
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Webhook created", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Equal(["Logins", "New users", "To WeCom"], WebhookNames(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        var webhook = await db.Webhooks.Include(w => w.Client).SingleAsync(w => w.Name == "To WeCom");
        Assert.Equal(
            ("demo-client", WebhookObject.User, UserAction.Created, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "POST", true),
            (webhook.Client!.ClientId, webhook.Object, webhook.Actions, webhook.Url, webhook.Method, webhook.Enabled));
        Assert.Equal(TemplateRenderer.DefaultBody, webhook.Body);
    }

    [Fact]
    public async Task A_second_webhook_of_the_same_name_in_the_client_is_refused_and_the_dialog_reopens_with_the_reason()
    {
        var cut = RenderPage("demo-client");

        var creating = await cut.ClickAsync(null, "Create Webhook");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Name", "New users");
        await cut.FillAsync(Dialog, "URL", "https://example.com/other");
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains("Client demo-client already has a webhook named New users.", cut.Find(Dialog).TextContent), Timeout);
        Assert.Equal("New users", cut.Find(Dialog).ByLabel("Name").GetAttribute("value"));
        Assert.False(creating.IsCompleted);
        await using (var db = await NewDbContextAsync())
        {
            Assert.Equal(1, await db.Webhooks.CountAsync(w => w.Name == "New users"));
        }

        await cut.ClickAsync(Dialog, "Cancel");
        await creating.WaitAsync(Timeout);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Dialog)), Timeout);
    }

    [Fact]
    public async Task The_same_webhook_name_is_allowed_in_another_client()
    {
        var cut = RenderPage("hr-system", expectedWebhooks: 1);

        var creating = await cut.ClickAsync(null, "Create Webhook");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Name", "New users");
        await cut.FillAsync(Dialog, "URL", "https://example.com/hr");
        await cut.ClickAsync(Dialog, "OK");
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Webhook created", Toasts(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.Equal(2, await db.Webhooks.CountAsync(w => w.Name == "New users"));
    }

    [Fact]
    public async Task The_enabled_switch_turns_the_webhook_off_in_the_database()
    {
        var cut = RenderPage("demo-client");

        await cut.InvokeAsync(() => cut.Find(".mud-table").ByLabel("Enabled: New users").ChangeAsync(new() { Value = false }));

        cut.WaitForAssertion(() => Assert.Contains("Webhook New users disabled", Toasts(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.False((await db.Webhooks.SingleAsync(w => w.Name == "New users")).Enabled);
        Assert.True((await db.Webhooks.SingleAsync(w => w.Name == "Logins")).Enabled);
    }

    [Fact]
    public async Task Canceling_the_delete_confirmation_keeps_the_webhook()
    {
        var cut = RenderPage("demo-client");

        var deleting = await cut.ClickAsync(null, "Delete webhook New users");
        cut.WaitForAssertion(() => Assert.Contains("Delete webhook New users?", cut.Find(Dialog).TextContent), Timeout);
        await cut.ClickAsync(Dialog, "Cancel");
        await deleting.WaitAsync(Timeout);

        await using var db = await NewDbContextAsync();
        Assert.True(await db.Webhooks.AnyAsync(w => w.Name == "New users"));
        Assert.Equal(["Logins", "New users"], WebhookNames(cut));
    }

    [Fact]
    public async Task Confirmed_delete_removes_the_webhook_and_cancels_only_its_pending_deliveries()
    {
        var pending = await AddDeliveryAsync("New users", DeliveryStatus.Pending);
        var succeeded = await AddDeliveryAsync("New users", DeliveryStatus.Succeeded);
        var otherWebhooksPending = await AddDeliveryAsync("Logins", DeliveryStatus.Pending);
        var cut = RenderPage("demo-client");

        var deleting = await cut.ClickAsync(null, "Delete webhook New users");
        cut.WaitForElement(Dialog, Timeout);
        await cut.ClickAsync(Dialog, "Delete");
        await deleting.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Webhook New users deleted", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Equal(["Logins"], WebhookNames(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.False(await db.Webhooks.AnyAsync(w => w.Name == "New users"));
        var deliveries = await db.Deliveries.ToDictionaryAsync(d => d.Id);
        Assert.Equal(DeliveryStatus.Cancelled, deliveries[pending].Status);
        Assert.Null(deliveries[pending].WebhookId);
        Assert.NotNull(deliveries[pending].CompletedAt);
        Assert.Equal(DeliveryStatus.Succeeded, deliveries[succeeded].Status);
        Assert.Equal(DeliveryStatus.Pending, deliveries[otherWebhooksPending].Status);
    }

    /// <summary>Renders the page of <paramref name="clientId"/> and waits for its webhooks, which it loads asynchronously.</summary>
    private IRenderedComponent<MudProviders> RenderPage(string clientId, int expectedWebhooks = 2)
    {
        var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, clientId)));
        cut.WaitForAssertion(() => Assert.Equal(expectedWebhooks, WebhookNames(cut).Count), Timeout);
        return cut;
    }

    private static List<string> WebhookNames(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll("tbody tr td[data-label='Name']").Select(td => td.TextContent.Trim())];
}
