using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// Two portal processes on one PostgreSQL database (<see cref="PortalCluster"/>): a page open on one of them follows what
/// the other does.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class MultiInstanceBrowserTests(Chromium chromium)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Expected to fail until instances tell each other about recorded attempts (PostgreSQL LISTEN/NOTIFY): today a page
    /// refreshes only for its own instance's news, so A's list keeps showing the delivery as pending.
    /// </summary>
    [Fact]
    public async Task The_deliveries_page_on_one_instance_shows_an_attempt_that_another_instance_records()
    {
        // A polls once an hour, so it never takes the delivery that B's own event wakes B for: only B sends and records it.
        await using var cluster = await PortalCluster.StartAsync(2, TimeSpan.FromSeconds(120),
            perInstance: i => i == 0 ? new Dictionary<string, string> { ["Webhooks__Delivery__PollInterval"] = "01:00:00" } : new Dictionary<string, string>());
        await using var receiver = await LoopbackReceiver.StartAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.RespondWith(async _ =>
        {
            await hold.Task;
            return new ReceiverResponse(200, """{"ok":true}""");
        });
        var clientId = PortalData.UniqueName("live");
        using (var b = cluster.Api(1))
        {
            (await b.PostAsync("/api/v1/clients", new { clientId })).Is(HttpStatusCode.Created);
            (await b.PostAsync($"/api/v1/clients/{clientId}/webhooks", new { name = "Live", actions = new[] { "Updated" }, url = receiver.Url("/live") }))
                .Is(HttpStatusCode.Created);
            var userName = PortalData.UniqueName("liveuser");
            var id = (await b.PostAsync("/api/v1/users", new { userName, email = userName + "@example.test", password = "Passw0rd!x" }))
                .Is(HttpStatusCode.Created).Json.GetProperty("id").GetString();
            (await b.PutAsync($"/api/v1/users/{id}", new { userName, email = userName + "@example.test", firstName = "Live", lastName = "Page", phone = "", enabled = true }))
                .Is(HttpStatusCode.OK);
        }

        // B is sending it: the request waits at the receiver, and B holds the lease.
        var request = await receiver.WaitForRequestToAsync("/live", Wait);
        var deliveryId = WebhookAssert.DeliveryId(request);
        await using (var db = cluster.CreateDbContext())
        {
            Assert.StartsWith(PortalCluster.LeaseOwnerPrefix(1), (await db.Deliveries.SingleAsync(d => d.Id == deliveryId)).LeaseOwner);
        }

        await using var browser = await BrowserSession.OpenAsync(chromium, cluster[0].BaseAddress, "multi-instance-live");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/deliveries");
            await browser.ExpectPageAsync("Deliveries");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{clientId} / Live" });
            await Expect(row).ToContainTextAsync("Pending");
            await browser.ShotAsync("pending-on-a");

            // B gets its answer and records the attempt; A's page, not reloaded, shows it.
            hold.SetResult();
            await Eventually.MatchesAsync(async () =>
            {
                await using var db = cluster.CreateDbContext();
                return (await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId)).Status;
            }, s => s == DeliveryStatus.Succeeded, "B to record the delivery as succeeded", Wait);
            await Expect(row).ToContainTextAsync("Succeeded", new() { Timeout = 15_000 });
            await browser.ShotAsync("succeeded-on-a");
        });
    }
}
