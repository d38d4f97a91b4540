using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WebhookPortal.Components.Shared;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// The "Redeliver failed since…" dialog on a real SQLite file: 24 hours ago in the browser's zone at first, how many
/// failed deliveries that resends, the time returned in UTC; and the client page's action that requeues them.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class RecoverWebhookDialogTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";
    private int webhookId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        var now = DateTime.UtcNow;
        var webhook = NewWebhook("Dead end", now);
        db.Clients.Add(new Client { ClientId = "demo-client", CreatedAt = now, Webhooks = [webhook] });
        await db.SaveChangesAsync();
        webhookId = webhook.Id;
        await AddDeliveryAsync("Dead end", DeliveryStatus.Failed, now.AddHours(-1));
        await AddDeliveryAsync("Dead end", DeliveryStatus.Failed, now.AddHours(-2));
        await AddDeliveryAsync("Dead end", DeliveryStatus.Failed, now.AddHours(-30));
        await AddDeliveryAsync("Dead end", DeliveryStatus.Succeeded, now.AddHours(-1));
    }

    [Fact]
    public async Task It_counts_the_failed_deliveries_of_the_last_24_hours_and_returns_the_time_in_UTC()
    {
        var cut = Render<CascadingValue<BrowserPreferences>>(p => p
            .Add(c => c.Value, new BrowserPreferences("Asia/Shanghai", false))
            .AddChildContent<MudProviders>());
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<RecoverWebhookDialog>("Redeliver failed since…", new DialogParameters<RecoverWebhookDialog>
        {
            { d => d.WebhookId, webhookId }, { d => d.WebhookName, "Dead end" },
        }));
        var expected = DateTime.UtcNow.AddHours(-24);

        cut.WaitForAssertion(() => Assert.Equal("2 failed deliveries will be sent again.", cut.Find(".recover-count").TextContent.Trim()), Timeout);
        var shanghai = TimeZoneInfo.ConvertTimeFromUtc(expected, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal(shanghai.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), cut.Find(Dialog).ByLabel("Date").GetAttribute("value"));
        Assert.Contains("Asia/Shanghai", cut.Find(".recover-zone").TextContent);
        Assert.Empty(cut.FindAll(".recover-paused"));
        await cut.Find($"{Dialog} [data-dialog-submit]").ClickAsync(new());

        var since = Assert.IsType<DateTime>((await dialog.Result.WaitAsync(Timeout))!.Data);
        Assert.Equal(DateTimeKind.Utc, since.Kind);
        Assert.InRange(since, expected.AddMinutes(-2), expected.AddMinutes(1));
    }

    [Fact]
    public async Task A_disabled_webhook_is_said_to_keep_them_Paused()
    {
        var cut = RenderProviders();
        await cut.InvokeAsync(() => Dialogs.ShowAsync<RecoverWebhookDialog>("Redeliver failed since…", new DialogParameters<RecoverWebhookDialog>
        {
            { d => d.WebhookId, webhookId }, { d => d.WebhookName, "Dead end" }, { d => d.Enabled, false },
        }));

        cut.WaitForAssertion(() => Assert.Contains("Webhook Dead end is disabled: the deliveries will wait as Paused until it is enabled.",
            cut.Find(".recover-paused").TextContent), Timeout);
        Assert.Contains("Time zone: UTC", cut.Find(".recover-zone").TextContent);
    }

    [Fact]
    public async Task The_client_pages_action_requeues_them_and_says_how_many()
    {
        var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr td[data-label='Name']")), Timeout);

        var recovering = await cut.ClickAsync(null, "Redeliver failed deliveries of webhook Dead end");
        cut.WaitForAssertion(() => Assert.Equal("2 failed deliveries will be sent again.", cut.Find(".recover-count").TextContent.Trim()), Timeout);
        await cut.ClickAsync(Dialog, "Redeliver");
        await recovering.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Requeued 2 deliveries", Toasts(cut)), Timeout);
        Assert.Contains("Show in Deliveries", cut.Find(".mud-snackbar").TextContent);
        await using var db = await NewDbContextAsync();
        var statuses = await db.Deliveries.OrderBy(d => d.CreatedAt).Select(d => d.Status).ToListAsync();
        Assert.Equal(2, statuses.Count(s => s == DeliveryStatus.Pending));
        Assert.Single(statuses, DeliveryStatus.Failed);
    }
}
