using Bunit;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// A disabled webhook's delivery on its page (real SQLite): shown Paused with a notice, cancelled from there, and Retry
/// now or Redeliver ask first.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryPageTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        var now = DateTime.UtcNow;
        var disabled = NewWebhook("Paused hook", now);
        disabled.Enabled = false;
        db.Clients.Add(new Client { ClientId = "demo-client", CreatedAt = now, Webhooks = [disabled, NewWebhook("Live hook", now)] });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_paused_delivery_shows_why_and_Retry_now_asks_before_it_queues()
    {
        var id = await AddDeliveryAsync("Paused hook", DeliveryStatus.Pending);
        var due = (await StoredAsync(id)).NextAttemptAt;
        var cut = RenderPage(id);

        cut.WaitForAssertion(() => Assert.Contains("Paused: webhook Paused hook is disabled. Enable it to resume, or cancel.", cut.Find(".delivery-paused").TextContent), Timeout);
        Assert.Contains("Paused", cut.Find(".page-heading .mud-chip").TextContent);

        await cut.ClickAsync(".page-heading", "Retry now");
        cut.WaitForAssertion(() => Assert.Contains("Webhook Paused hook is disabled, so the delivery will wait as Paused until it is enabled.", cut.Find(Dialog).TextContent), Timeout);
        await (await cut.ClickAsync(Dialog, "Cancel")).WaitAsync(Timeout);
        Assert.Equal(due, (await StoredAsync(id)).NextAttemptAt);

        var retrying = await cut.ClickAsync(".page-heading", "Retry now");
        cut.WaitForAssertion(() => cut.Find(Dialog), Timeout);
        await (await cut.ClickAsync(Dialog, "Retry now")).WaitAsync(Timeout);
        await retrying.WaitAsync(Timeout);
        Assert.True((await StoredAsync(id)).NextAttemptAt < due);
        cut.WaitForAssertion(() => Assert.Contains("Queued: it waits as Paused until the webhook is enabled.", Toasts(cut)), Timeout);
    }

    [Fact]
    public async Task Redeliver_of_a_disabled_webhooks_delivery_asks_first_and_the_delivery_then_shows_Paused()
    {
        var id = await AddDeliveryAsync("Paused hook", DeliveryStatus.Failed);
        var cut = RenderPage(id);
        cut.WaitForAssertion(() => Assert.Contains("Failed", cut.Find(".page-heading .mud-chip").TextContent), Timeout);

        var redelivering = await cut.ClickAsync(".page-heading", "Redeliver");
        cut.WaitForAssertion(() => Assert.Contains("will wait as Paused", cut.Find(Dialog).TextContent), Timeout);
        await (await cut.ClickAsync(Dialog, "Redeliver")).WaitAsync(Timeout);
        await redelivering.WaitAsync(Timeout);

        Assert.Equal(DeliveryStatus.Pending, (await StoredAsync(id)).Status);
        cut.WaitForAssertion(() => Assert.Contains("Paused", cut.Find(".page-heading .mud-chip").TextContent), Timeout);
    }

    [Fact]
    public async Task An_enabled_webhooks_delivery_is_retried_without_a_question_and_shows_no_notice()
    {
        var id = await AddDeliveryAsync("Live hook", DeliveryStatus.Pending);
        var cut = RenderPage(id);
        cut.WaitForAssertion(() => Assert.Contains("Pending", cut.Find(".page-heading .mud-chip").TextContent), Timeout);
        Assert.Empty(cut.FindAll(".delivery-paused"));

        await (await cut.ClickAsync(".page-heading", "Retry now")).WaitAsync(Timeout);

        Assert.Empty(cut.FindAll(Dialog));
        Assert.True((await StoredAsync(id)).NextAttemptAt <= DateTime.UtcNow);
    }

    [Fact]
    public async Task Cancel_this_delivery_ends_a_paused_delivery_with_the_reason()
    {
        var id = await AddDeliveryAsync("Paused hook", DeliveryStatus.Pending);
        var cut = RenderPage(id);
        cut.WaitForAssertion(() => cut.Find(".delivery-paused"), Timeout);

        await (await cut.ClickAsync(".delivery-paused", "Cancel this delivery")).WaitAsync(Timeout);

        var stored = await StoredAsync(id);
        Assert.Equal(DeliveryStatus.Cancelled, stored.Status);
        Assert.Matches("^Cancelled by .+: the webhook was disabled\\.$", MessageText.English(stored.LastError));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".delivery-paused")), Timeout);
    }

    private IRenderedComponent<MudProviders> RenderPage(Guid id) =>
        Render<MudProviders>(p => p.AddChildContent<DeliveryPage>(page => page.Add(c => c.Id, id)));

    private async Task<Delivery> StoredAsync(Guid id)
    {
        await using var db = await NewDbContextAsync();
        return await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id);
    }
}
