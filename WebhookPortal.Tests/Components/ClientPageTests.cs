using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

/// <summary>A client's page (its webhooks) on a real SQLite file.</summary>
[Trait("Category", TestCategories.Integration)]
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
    public async Task An_ordered_webhook_says_so_in_its_row()
    {
        await using (var db = await NewDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Name == "Logins").ExecuteUpdateAsync(s => s.SetProperty(w => w.OrderedPerUser, true));
        }

        var cut = RenderPage("demo-client");

        Assert.Contains("Ordered per user", Row(cut, "Logins").TextContent);
        Assert.DoesNotContain("Ordered per user", Row(cut, "New users").TextContent);
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
        await cut.FillAsync(Dialog, "Name", "To the inbox");
        await cut.FillAsync(Dialog, "URL", "http://localhost:5080/inbox/demo");
        await cut.ClickAsync(Dialog, "OK");
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Webhook created", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Equal(["Logins", "New users", "To the inbox"], WebhookNames(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        var webhook = await db.Webhooks.Include(w => w.Client).SingleAsync(w => w.Name == "To the inbox");
        Assert.Equal(
            ("demo-client", WebhookObject.User, UserAction.Created, "http://localhost:5080/inbox/demo", "POST", true, WebhookTarget.Generic),
            (webhook.Client!.ClientId, webhook.Object, webhook.Actions, webhook.Url, webhook.Method, webhook.Enabled, webhook.Target));
        Assert.Equal(TemplateRenderer.DefaultBody, webhook.Body);
        Assert.Null(webhook.SigningSecret);
        var audit = await db.AuditEntries.SingleAsync();
        Assert.Equal(("webhook.created", "webhook To the inbox (client demo-client)"), (audit.Action, audit.Subject));
    }

    [Fact]
    public async Task A_url_into_the_private_network_is_refused_when_saved_with_the_reason()
    {
        AllowPrivateNetworks = false;
        var cut = RenderPage("demo-client");

        var creating = await cut.ClickAsync(null, "Create Webhook");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Name", "Metadata");
        await cut.FillAsync(Dialog, "URL", "http://169.254.169.254/latest/meta-data");
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains("169.254.169.254 is a link-local address", cut.Find(Dialog).TextContent), Timeout);
        await cut.CancelAndDiscardAsync(Dialog);
        await creating.WaitAsync(Timeout);
        await using var db = await NewDbContextAsync();
        Assert.False(await db.Webhooks.AnyAsync(w => w.Name == "Metadata"));
        Assert.Empty(await db.AuditEntries.ToListAsync());
    }

    [Fact]
    public async Task A_wecom_webhook_is_stored_with_its_target_and_the_wecom_preset_and_listed_with_the_key_masked()
    {
        var cut = RenderPage("demo-client");

        var creating = await cut.ClickAsync(null, "Create Webhook");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Name", "To WeCom");
        await cut.FillAsync(Dialog, "URL", "693a91f6-7a3c-4bc4-97a0-0ec2a1fa5aaa");
        await cut.ClickAsync(Dialog, "OK");
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Equal(["Logins", "New users", "To WeCom"], WebhookNames(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        var webhook = await db.Webhooks.SingleAsync(w => w.Name == "To WeCom");
        Assert.Equal(("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7a3c-4bc4-97a0-0ec2a1fa5aaa", WebhookTarget.WeCom),
            (webhook.Url, webhook.Target));
        Assert.Equal(WebhookPresets.For(WebhookTarget.WeCom).Template, webhook.Body);
        var row = Row(cut, "To WeCom");
        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…", row.QuerySelector("td[data-label='URL'] .webhook-url")!.TextContent.Trim());
        Assert.DoesNotContain("693a91f6", row.OuterHtml);
        Assert.Equal("WeCom", row.QuerySelector("td[data-label='Target']")!.TextContent.Trim());
    }

    [Fact]
    public async Task Cancel_saves_nothing()
    {
        var cut = RenderPage("demo-client");

        var creating = await cut.ClickAsync(null, "Create Webhook");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "Name", "Never saved");
        await cut.FillAsync(Dialog, "URL", "https://example.com/never");
        await cut.CancelAndDiscardAsync(Dialog);
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Dialog)), Timeout);
        await using var db = await NewDbContextAsync();
        Assert.Equal(3, await db.Webhooks.CountAsync());
        Assert.False(await db.Webhooks.AnyAsync(w => w.Name == "Never saved"));
        Assert.Equal(["Logins", "New users"], WebhookNames(cut));
    }

    [Fact]
    public async Task Duplicate_opens_a_copy_and_creates_a_second_webhook_without_the_signing_secret()
    {
        await using (var db = await NewDbContextAsync())
        {
            var original = await db.Webhooks.SingleAsync(w => w.Name == "New users");
            original.Actions = UserAction.Created | UserAction.Deleted;
            original.SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            original.Headers = [new WebhookHeader("X-Team", "ops")];
            original.Body = """{"who":"{{$$.Name$$}}"}""";
            await db.SaveChangesAsync();
        }

        var cut = RenderPage("demo-client");

        var duplicating = await cut.ClickAsync(null, "Duplicate webhook New users");
        cut.WaitForElement(Dialog, Timeout);
        Assert.Equal("Copy of New users", cut.Find(Dialog).ByLabel("Name").GetAttribute("value"));
        Assert.Contains("Requests are not signed.", cut.Find(Dialog).TextContent);
        await cut.ClickAsync(Dialog, "OK");
        await duplicating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Webhook created", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Equal(["Copy of New users", "Logins", "New users"], WebhookNames(cut)), Timeout);
        await using var check = await NewDbContextAsync();
        var webhooks = await check.Webhooks.Where(w => w.Name.EndsWith("New users")).OrderBy(w => w.Name).ToListAsync();
        Assert.Equal(2, webhooks.Count);
        var (copy, original2) = (webhooks[0], webhooks[1]);
        Assert.NotEqual(original2.Id, copy.Id);
        Assert.Equal((original2.ClientKey, original2.Actions, original2.Url, original2.Body), (copy.ClientKey, copy.Actions, copy.Url, copy.Body));
        Assert.Equal(original2.Headers, copy.Headers);
        Assert.Null(copy.SigningSecret);
        Assert.NotNull(original2.SigningSecret);
    }

    [Fact]
    public async Task The_table_shows_actions_as_chips_and_each_webhooks_latest_delivery()
    {
        // The latest by its time, not by when it was stored: the newer delivery goes in first.
        var at = new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);
        await AddDeliveryAsync("New users", DeliveryStatus.Succeeded, at);
        await AddDeliveryAsync("New users", DeliveryStatus.Failed, at.AddMinutes(-1));
        await AddDeliveryAsync("Logins", DeliveryStatus.Pending, at);

        var cut = RenderPage("demo-client");

        cut.WaitForAssertion(() => Assert.Contains("Succeeded", Row(cut, "New users").QuerySelector("td[data-label='Last delivery']")!.TextContent), Timeout);
        Assert.DoesNotContain("Failed", Row(cut, "New users").QuerySelector("td[data-label='Last delivery']")!.TextContent);
        Assert.Contains("Pending", Row(cut, "Logins").QuerySelector("td[data-label='Last delivery']")!.TextContent);
        Assert.Equal(["Create"], Row(cut, "New users").QuerySelectorAll("td[data-label='Action'] .mud-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal("Generic JSON", Row(cut, "New users").QuerySelector("td[data-label='Target']")!.TextContent.Trim());
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

        await cut.CancelAndDiscardAsync(Dialog);
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

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MudProviders> cut, string name) =>
        cut.FindAll("tbody tr").Single(tr => tr.QuerySelector("td[data-label='Name']")?.TextContent.Trim() == name);

    private static List<string> WebhookNames(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll("tbody tr td[data-label='Name']").Select(td => td.TextContent.Trim())];
}
