using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Webhooks;

/// <summary>
/// Two administrators editing one webhook (two tabs): the second save, made from the version both loaded, is refused with
/// the stale message and changes nothing, instead of silently undoing the first.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class WebhookStaleEditTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly AuditActor Admin = new("admin-id", "admin", "203.0.113.9");

    private WebhookAdministration Webhooks => factory.Services.GetRequiredService<WebhookAdministration>();

    [Fact]
    public async Task The_second_of_two_edits_from_the_same_load_is_refused_and_the_first_stays()
    {
        var clientId = PortalData.UniqueName("stale-hook");
        var stored = await factory.AddWebhookAsync("http://127.0.0.1:9/stale", UserAction.Created, clientId: clientId, name: "Shared");
        var firstTab = WebhookModel.From((await Webhooks.FindAsync(clientId, stored.Id))!);
        var secondTab = WebhookModel.From((await Webhooks.FindAsync(clientId, stored.Id))!);

        firstTab.Name = "First tab";
        var first = await Webhooks.UpdateAsync(stored.Id, firstTab, Admin);
        secondTab.Url = "http://127.0.0.1:9/second";
        var second = await Webhooks.UpdateAsync(stored.Id, secondTab, Admin);

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.True(second.Stale);
        Assert.Equal(WebhookAdministration.StaleMessage, second.Error);
        var now = (await Webhooks.FindAsync(clientId, stored.Id))!;
        Assert.Equal(("First tab", "http://127.0.0.1:9/stale"), (now.Name, now.Url));
        Assert.Equal(stored.Version + 1, now.Version);
    }

    [Fact]
    public async Task Enabling_or_disabling_makes_an_open_edit_stale()
    {
        var clientId = PortalData.UniqueName("stale-toggle");
        var stored = await factory.AddWebhookAsync("http://127.0.0.1:9/toggle", UserAction.Created, clientId: clientId, name: "Toggled");
        var loaded = WebhookModel.From((await Webhooks.FindAsync(clientId, stored.Id))!);

        Assert.True(await Webhooks.SetEnabledAsync(stored.Id, false, Admin));
        loaded.Name = "Renamed";
        var saved = await Webhooks.UpdateAsync(stored.Id, loaded, Admin);

        Assert.True(saved.Stale);
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal("Toggled", await db.Webhooks.Where(w => w.Id == stored.Id).Select(w => w.Name).SingleAsync());
    }

    [Fact]
    public async Task A_save_from_the_current_version_goes_through_and_counts_up()
    {
        var clientId = PortalData.UniqueName("fresh-hook");
        var stored = await factory.AddWebhookAsync("http://127.0.0.1:9/fresh", UserAction.Created, clientId: clientId, name: "Fresh");
        var loaded = WebhookModel.From((await Webhooks.FindAsync(clientId, stored.Id))!);

        loaded.Name = "Once";
        var once = await Webhooks.UpdateAsync(stored.Id, loaded, Admin);
        var again = WebhookModel.From((await Webhooks.FindAsync(clientId, stored.Id))!);
        again.Name = "Twice";
        var twice = await Webhooks.UpdateAsync(stored.Id, again, Admin);

        Assert.True(once.Succeeded);
        Assert.True(twice.Succeeded);
        Assert.Equal(stored.Version + 2, twice.Webhook!.Version);
    }
}
