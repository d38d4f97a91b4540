using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Dashboard;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// A disabled webhook's queue is paused (real dispatcher, loopback receiver): nothing new starts, the deliveries show as
/// Paused and keep their place, enabling sends them in event order, and they can be cancelled. Each test has its own host,
/// with retries an hour apart (anything sooner came from the test) and one attempt per webhook at a time (so order shows).
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class PausedQueueTests : IAsyncLifetime
{
    private static readonly AuditActor Admin = new(null, PortalFactory.AdminUserName, null);

    private PortalFactory factory = null!;
    private LoopbackReceiver receiver = null!;
    private Webhook paused = null!;

    public Task InitializeAsync() => StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await factory.DisposeAsync();
    }

    private WebhookAdministration Webhooks => factory.Services.GetRequiredService<WebhookAdministration>();

    private DeliveryQueries Queries => factory.Services.GetRequiredService<DeliveryQueries>();

    [Fact]
    public async Task A_disabled_webhooks_queue_is_not_sent_shows_as_Paused_and_resumes_in_its_order_once_enabled()
    {
        var (queue, release) = await QueueBehindAHeldAttemptAsync(4);
        Assert.True(await Webhooks.SetEnabledAsync(paused.Id, false, Admin));
        release.SetResult(new ReceiverResponse(500, "down"));
        var first = await factory.WaitForDeliveryAsync(queue[0].Id, d => d.AttemptCount == 1 && d.LeaseOwner is null, "its attempt recorded");
        await AssertNothingStartedAsync(queue);

        using var api = await ApiClient.ForAsync(factory);
        var listed = (await api.GetAsync("/api/v1/deliveries?status=Paused")).Is(HttpStatusCode.OK).Json;
        Assert.Equal(queue.Select(d => d.Id).Reverse(), listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.All(listed.GetProperty("items").EnumerateArray(), i => Assert.Equal("Paused", i.GetProperty("status").GetString()));
        var detail = (await api.GetAsync($"/api/v1/deliveries/{first.Id}")).Is(HttpStatusCode.OK).Json;
        Assert.Equal("Paused", detail.GetProperty("delivery").GetProperty("status").GetString());

        // Retry now on a disabled webhook's delivery: queued, due from now (behind the others), answered Paused, not sent.
        var retried = (await api.PostAsync($"/api/v1/deliveries/{first.Id}/retry")).Is(HttpStatusCode.Accepted).Json;
        Assert.Equal("Paused", retried.GetProperty("status").GetString());
        await AssertNothingStartedAsync(queue);

        receiver.RespondWith(200, "ok");
        Assert.True(await Webhooks.SetEnabledAsync(paused.Id, true, Admin));
        foreach (var delivery in queue)
        {
            await factory.WaitForDeliveryAsync(delivery.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded after enabling");
        }

        var sent = receiver.RequestsTo("/p").Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal([first.MessageId, .. queue.Skip(1).Select(d => d.MessageId), first.MessageId], sent);
    }

    [Fact]
    public async Task An_attempt_in_flight_when_the_webhook_is_disabled_finishes_and_its_retry_waits_as_Paused()
    {
        var (queue, release) = await QueueBehindAHeldAttemptAsync(1);
        Assert.True(await Webhooks.SetEnabledAsync(paused.Id, false, Admin));
        release.SetResult(new ReceiverResponse(500, "down"));

        var recorded = await factory.WaitForDeliveryAsync(queue[0].Id, d => d.AttemptCount == 1 && d.LeaseOwner is null, "its attempt recorded");
        Assert.Equal((DeliveryStatus.Pending, 500), (recorded.Status, recorded.LastStatusCode));
        Assert.True(recorded.NextAttemptAt > DateTime.UtcNow.AddMinutes(30), "the retry is scheduled as for any failure");
        Assert.Equal(DeliveryStatus.Paused, (await Queries.SummaryAsync(recorded.Id))!.Status);

        // Due now, and still nothing starts while the webhook is disabled.
        Assert.True(await factory.Services.GetRequiredService<DeliveryActions>().RetryNowAsync(recorded.Id));
        await AssertNothingStartedAsync(recorded);
        Assert.Single(receiver.RequestsTo("/p"));
    }

    [Fact]
    public async Task After_an_auto_disable_no_attempt_starts()
    {
        await RestartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:AutoDisableAttempts"] = "1",
            ["Webhooks:Delivery:AutoDisableAfter"] = "00:00:00",
        });
        var (queue, release) = await QueueBehindAHeldAttemptAsync(3);
        release.SetResult(new ReceiverResponse(500, "down"));

        await Eventually.MatchesAsync(WebhookEnabledAsync, enabled => !enabled, "the webhook to be disabled automatically");
        await factory.WaitForDeliveryAsync(queue[0].Id, d => d.AttemptCount == 1 && d.LeaseOwner is null, "its attempt recorded");
        await AssertNothingStartedAsync(queue);

        Assert.Single(receiver.RequestsTo("/p"));
        var (rows, total) = await Queries.ListAsync(new DeliveryFilter(DeliveryStatus.Paused), 0, 10);
        Assert.Equal(3, total);
        Assert.All(rows, r => Assert.Equal(DeliveryStatus.Paused, r.Status));
    }

    [Fact]
    public async Task Paused_deliveries_are_counted_apart_and_can_be_cancelled_one_or_all_with_an_audit_entry()
    {
        var (queue, release) = await QueueBehindAHeldAttemptAsync(3);
        Assert.True(await Webhooks.SetEnabledAsync(paused.Id, false, Admin));
        release.SetResult(new ReceiverResponse(500, "down"));
        await factory.WaitForDeliveryAsync(queue[0].Id, d => d.AttemptCount == 1 && d.LeaseOwner is null, "its attempt recorded");
        await AssertNothingStartedAsync(queue);

        var ids = queue.Select(d => d.Id).ToHashSet();
        var (pausedRows, pausedTotal) = await Queries.ListAsync(new DeliveryFilter(DeliveryStatus.Paused), 0, 100);
        var (pendingRows, _) = await Queries.ListAsync(new DeliveryFilter(DeliveryStatus.Pending), 0, 100);
        Assert.Equal(3, pausedTotal);
        Assert.True(ids.SetEquals(pausedRows.Select(r => r.Id)));
        Assert.DoesNotContain(pendingRows, r => ids.Contains(r.Id));
        var summary = await factory.Services.GetRequiredService<DashboardQueries>().LoadAsync();
        Assert.Equal((3, 0), (summary.Paused, summary.Pending));

        using var api = await ApiClient.ForAsync(factory);
        var one = (await api.PostAsync($"/api/v1/deliveries/{queue[0].Id}/cancel")).Is(HttpStatusCode.OK).Json;
        Assert.Equal("Cancelled", one.GetProperty("status").GetString());
        Assert.Equal("Cancelled by admin: the webhook was disabled.", one.GetProperty("lastError").GetString());
        (await api.PostAsync($"/api/v1/deliveries/{queue[0].Id}/cancel")).IsProblem(HttpStatusCode.Conflict);

        var path = $"/api/v1/clients/paused-client/webhooks/{paused.Id}/cancel-paused";
        Assert.Equal(2, (await api.PostAsync(path)).Is(HttpStatusCode.OK).Json.GetProperty("cancelled").GetInt32());
        Assert.Equal(0, (await api.PostAsync(path)).Is(HttpStatusCode.OK).Json.GetProperty("cancelled").GetInt32());
        (await api.PostAsync($"/api/v1/clients/paused-client/webhooks/{paused.Id + 1000}/cancel-paused")).IsProblem(HttpStatusCode.NotFound);

        var stored = (await factory.DeliveriesAsync()).Where(d => ids.Contains(d.Id)).ToList();
        Assert.All(stored, d => Assert.Equal((DeliveryStatus.Cancelled, (DateTime?)null), (d.Status, d.NextAttemptAt)));
        await using var db = await factory.CreateDbContextAsync();
        var audit = await db.AuditEntries.Where(e => e.Action == "webhook.paused_cancelled").OrderBy(e => e.Id).Select(e => e.Details).ToListAsync();
        Assert.Equal([$"Cancelled paused delivery {queue[0].Id}.", "Cancelled 2 paused deliveries."], audit.Select(MessageText.English));

        // A cancelled delivery can still be redelivered; while the webhook is disabled it waits, paused, like any other.
        var redelivered = (await api.PostAsync($"/api/v1/deliveries/{queue[1].Id}/redeliver")).Is(HttpStatusCode.Accepted).Json;
        Assert.Equal("Paused", redelivered.GetProperty("status").GetString());
        Assert.Single(receiver.RequestsTo("/p"));
    }

    private async Task StartAsync(Dictionary<string, string?> overrides)
    {
        overrides["Webhooks:Delivery:RetrySchedule:0"] = "01:00:00";
        overrides["Webhooks:Delivery:RetrySchedule:1"] = "01:00:00";
        overrides["Webhooks:Delivery:MaxConcurrencyPerWebhook"] = "1";
        factory = PortalFactory.Create(overrides: overrides);
        factory.StartServer();
        receiver ??= await LoopbackReceiver.StartAsync();
        paused = await factory.UseOnlyWebhookAsync(receiver.Url("/p"), UserAction.Created, clientId: "paused-client", name: "Paused webhook");
        // Fires on the same events and is never disabled: once its delivery of an event is sent, the dispatcher has had its
        // chance at everything due before it.
        await factory.AddWebhookAsync(receiver.Url("/s"), UserAction.Created, clientId: "sentinel-client", name: "Sentinel");
    }

    private async Task RestartAsync(Dictionary<string, string?> overrides)
    {
        await factory.DisposeAsync();
        await StartAsync(overrides);
    }

    private async Task<bool> WebhookEnabledAsync()
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Webhooks.Where(w => w.Id == paused.Id).Select(w => w.Enabled).SingleAsync();
    }

    /// <summary>
    /// <paramref name="count"/> user events, each with a delivery to the paused webhook (returned in event order): the
    /// receiver holds the first in flight until the returned source answers, so with one attempt per webhook at a time the
    /// others wait in the queue, never attempted.
    /// </summary>
    private async Task<(DeliveryRow[] Queue, TaskCompletionSource<ReceiverResponse> Release)> QueueBehindAHeldAttemptAsync(int count)
    {
        var release = new TaskCompletionSource<ReceiverResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.RespondWith(r => r.Path == "/p" ? release.Task : Task.FromResult(new ReceiverResponse(200)));
        var queue = new List<DeliveryRow>();
        for (var i = 0; i < count; i++)
        {
            var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("paused")));
            queue.Add((await Eventually.MatchesAsync(() => factory.DeliveriesForUserAsync(user.Id), l => l.Count == 2, "two deliveries of the event"))
                .Single(d => d.WebhookId == paused.Id));
        }

        await receiver.WaitForRequestToAsync("/p", Eventually.DefaultTimeout);
        return ([.. queue], release);
    }

    /// <summary>
    /// After a later event's delivery to the sentinel is sent — so every claim round since <paramref name="deliveries"/> were
    /// due has passed — none of them is leased, has a new attempt or left Pending: a claimed one would still hold its lease.
    /// </summary>
    private async Task AssertNothingStartedAsync(params DeliveryRow[] deliveries)
    {
        var before = (await factory.DeliveriesAsync()).ToDictionary(d => d.Id);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("sentinel")));
        var sentinel = (await Eventually.MatchesAsync(() => factory.DeliveriesForUserAsync(user.Id), l => l.Count > 0, "the sentinel's delivery")).Single();
        Assert.NotEqual(paused.Id, sentinel.WebhookId);
        await factory.WaitForDeliveryAsync(sentinel.Id, d => d.Status == DeliveryStatus.Succeeded, "sent (sentinel)");

        var after = (await factory.DeliveriesAsync()).ToDictionary(d => d.Id);
        Assert.All(deliveries, d => Assert.Equal((before[d.Id].AttemptCount, (string?)null, DeliveryStatus.Pending),
            (after[d.Id].AttemptCount, after[d.Id].LeaseOwner, after[d.Id].Status)));
    }
}
