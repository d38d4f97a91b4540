using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// DESIGN §4 isolation over real HTTP: a slow or dead receiver never holds up a healthy one, a dead host's circuit opens,
/// and a robot's rate limit makes deliveries wait rather than fail.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class IsolationTests
{
    [Fact]
    public async Task A_hanging_receiver_does_not_delay_deliveries_to_a_healthy_one()
    {
        // Two workers for the hanging webhook, four in all: without the per-webhook cap its backlog would take all four
        // for the whole 30 s attempt timeout.
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:MaxConcurrency"] = "4",
            ["Webhooks:Delivery:MaxConcurrencyPerWebhook"] = "2",
            ["Webhooks:Delivery:AttemptTimeout"] = "00:00:30",
        });
        await using var hanging = await LoopbackReceiver.StartAsync();
        await using var healthy = await LoopbackReceiver.StartAsync();
        var never = new TaskCompletionSource<ReceiverResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            hanging.RespondWith(_ => never.Task);
            var slow = await factory.UseOnlyWebhookAsync(hanging.Url("/hang"), UserAction.Created, name: "Hanging");
            var fine = await factory.AddWebhookAsync(healthy.Url("/fine"), UserAction.Created, name: "Healthy");
            var stuck = await QueueAsync(factory, slow, 6);
            await hanging.WaitForRequestToAsync("/hang", Eventually.DefaultTimeout);
            await hanging.WaitForRequestToAsync("/hang", Eventually.DefaultTimeout);

            var sent = Assert.Single(await QueueAsync(factory, fine, 1));

            var delivered = await factory.WaitForDeliveryAsync(sent, d => d.Status != DeliveryStatus.Pending, "delivered to the healthy receiver");
            Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
            // Still hanging: no answer came, no attempt of the hanging webhook is over, and only two of its six were sent.
            Assert.False(never.Task.IsCompleted);
            var hung = (await factory.DeliveriesAsync()).Where(d => stuck.Contains(d.Id)).ToList();
            Assert.All(hung, d => Assert.Equal((DeliveryStatus.Pending, 0), (d.Status, d.AttemptCount)));
            Assert.Equal(2, hanging.RequestsTo("/hang").Count);
        }
        finally
        {
            never.TrySetResult(new ReceiverResponse(200));
        }
    }

    [Fact]
    public async Task A_dead_host_opens_its_circuit_so_its_deliveries_wait_unsent_while_other_hosts_are_served()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:CircuitBreakerFailures"] = "2",
            ["Webhooks:Delivery:CircuitBreakerBreakDuration"] = "00:10:00",
        });
        await using var dead = LoopbackReceiver.Reserve();
        await using var healthy = await LoopbackReceiver.StartAsync();
        var down = await factory.UseOnlyWebhookAsync(dead.Url("/dead"), UserAction.Created, name: "Dead");
        var fine = await factory.AddWebhookAsync(healthy.Url("/fine"), UserAction.Created, name: "Healthy");

        var doomed = await QueueAsync(factory, down, 4);
        var waitNote = $"Waiting for the circuit of host 127.0.0.1:{dead.Port} to close";
        var waiting = await Eventually.MatchesAsync(
            async () => (await factory.DeliveriesAsync()).Where(d => doomed.Contains(d.Id)).ToList(),
            list => list.Count == doomed.Count && list.All(d => d.LeaseOwner is null && MessageText.English(d.LastError)?.StartsWith(waitNote, StringComparison.Ordinal) == true),
            "every delivery to the dead host waiting for its circuit", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
        var sent = Assert.Single(await QueueAsync(factory, fine, 1));

        // The first attempts run together and find the host dead; after them the open circuit refuses without sending, which
        // neither fails a delivery nor uses its schedule: each waits out the break, Pending, with at most that first attempt.
        Assert.All(waiting, d => Assert.Equal(DeliveryStatus.Pending, d.Status));
        Assert.All(waiting, d => Assert.InRange(d.AttemptCount, 0, 1));
        Assert.All(waiting, d => Assert.True(d.NextAttemptAt > DateTime.UtcNow.AddMinutes(5), PortalData.Describe(d)));
        var attempts = waiting.SelectMany(d => d.Attempts).ToList();
        Assert.InRange(attempts.Count, 2, 4);
        Assert.All(attempts, a => Assert.Contains("Connection refused", MessageText.English(a.Error), StringComparison.OrdinalIgnoreCase));
        // Another host's circuit is its own.
        var delivered = await factory.WaitForDeliveryAsync(sent, d => d.Status != DeliveryStatus.Pending, "delivered to the healthy host");
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
    }

    [Fact]
    public async Task Deliveries_over_a_robots_rate_limit_wait_without_an_attempt_and_none_fail()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            // 20 per window, as WeCom's robots; a window of an hour so the five over the limit are still waiting when checked.
            ["Webhooks:Delivery:RateLimits:WeCom:0:Permits"] = "20",
            ["Webhooks:Delivery:RateLimits:WeCom:0:Window"] = "01:00:00",
        });
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");
        var robot = await UseRobotAsync(factory, receiver.Url("/cgi-bin/webhook/send?key=k"), WebhookTarget.WeCom);

        var queued = await QueueAsync(factory, robot, 25, WebhookTarget.WeCom);

        var settled = await Eventually.MatchesAsync(
            () => factory.DeliveriesAsync(),
            list => list.Count(d => d.Status == DeliveryStatus.Succeeded) == 20
                && list.Count(d => d.Status == DeliveryStatus.Pending && d.AttemptCount == 0 && d.NextAttemptAt > DateTime.UtcNow && d.LeaseOwner is null) == 5,
            "20 delivered and 5 waiting for the rate limit", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
        Assert.Equal(queued.Order(), settled.Select(d => d.Id).Order());
        Assert.DoesNotContain(settled, d => d.Status == DeliveryStatus.Failed);
        Assert.All(settled.Where(d => d.Status == DeliveryStatus.Pending), d => Assert.Empty(d.Attempts));
        Assert.Equal(20, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_thousand_users_created_in_a_loop_do_not_flood_a_robot_beyond_its_rate_limit()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:RateLimits:WeCom:0:Permits"] = "20",
            ["Webhooks:Delivery:RateLimits:WeCom:0:Window"] = "01:00:00",
        });
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");
        await UseRobotAsync(factory, receiver.Url("/cgi-bin/webhook/send?key=k"), WebhookTarget.WeCom);

        // Through the real user manager, as any page or API would; no password, so hashing does not dominate the loop.
        for (var i = 0; i < 1000; i++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var created = await users.CreateAsync(new PortalUser { UserName = $"flood{i:D4}", Email = $"flood{i:D4}@example.com" });
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        var settled = await Eventually.MatchesAsync(
            () => factory.DeliveriesAsync(),
            list => list.Count == 1000 && list.Count(d => d.Status == DeliveryStatus.Succeeded) == 20
                && list.Count(d => d.Status == DeliveryStatus.Pending && d.AttemptCount == 0) == 980,
            "20 delivered and 980 waiting for the rate limit",
            describe: list => $"{list.Count} deliveries: " + string.Join(", ", list.GroupBy(d => (d.Status, d.AttemptCount)).Select(g => $"{g.Count()} {g.Key.Status}/{g.Key.AttemptCount}")));
        Assert.DoesNotContain(settled, d => d.Status == DeliveryStatus.Failed);
        Assert.Equal(20, receiver.Requests.Count);
        // The 980 waiting are rows in the outbox, not memory: the dispatcher never held more than its rounds of slots.
        var dispatcher = factory.Services.GetRequiredService<DeliveryDispatcher>();
        var max = factory.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.MaxConcurrency;
        Assert.InRange(dispatcher.PeakHeld, 1, DeliveryDispatcher.HeldRounds * max);
    }

    [Fact]
    public async Task Deliveries_held_by_a_short_rate_limit_window_all_arrive_once()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:RateLimits:WeCom:0:Permits"] = "10",
            ["Webhooks:Delivery:RateLimits:WeCom:0:Window"] = "00:00:01",
        });
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");
        var robot = await UseRobotAsync(factory, receiver.Url("/cgi-bin/webhook/send?key=k"), WebhookTarget.WeCom);

        await QueueAsync(factory, robot, 25, WebhookTarget.WeCom);

        var done = await Eventually.MatchesAsync(
            () => factory.DeliveriesAsync(), list => list.All(d => d.Status != DeliveryStatus.Pending),
            "every delivery finished", TimeSpan.FromSeconds(30), list => string.Join("; ", list.Select(PortalData.Describe)));
        Assert.All(done, d => Assert.Equal((DeliveryStatus.Succeeded, 1), (d.Status, d.AttemptCount)));
        Assert.Equal(25, receiver.Requests.Select(r => r.Header("webhook-id")).Distinct().Count());
        Assert.Equal(25, receiver.Requests.Count);
    }

    [Fact]
    public async Task Honours_the_retry_after_seconds_in_a_discord_429_body()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?> { ["Webhooks:Delivery:MinRetryAfter"] = "00:00:01" });
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.RespondWith(429, """{"message":"You are being rate limited.","retry_after":90.5,"global":false}""");
        var discord = await UseRobotAsync(factory, receiver.Url("/api/webhooks/1/tok"), WebhookTarget.Discord);

        var id = Assert.Single(await QueueAsync(factory, discord, 1, WebhookTarget.Discord));

        var waiting = await factory.WaitForDeliveryAsync(id, d => d.AttemptCount >= 1, "attempted");
        Assert.Equal(DeliveryStatus.Pending, waiting.Status);
        Assert.Equal(429, waiting.LastStatusCode);
        Assert.Equal(TimeSpan.FromSeconds(90.5), waiting.NextAttemptAt - waiting.LastAttemptAt);
    }

    private static async Task<Webhook> UseRobotAsync(PortalFactory factory, string url, WebhookTarget target)
    {
        // A loopback URL is Generic by its host; the test stands in for the robot's.
        var webhook = await factory.UseOnlyWebhookAsync(url, UserAction.Created);
        await using var db = await factory.CreateDbContextAsync();
        await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.Target, target));
        webhook.Target = target;
        return webhook;
    }

    /// <summary>Puts <paramref name="count"/> due deliveries of <paramref name="webhook"/> in the outbox at once and wakes the dispatcher.</summary>
    /// <summary>Writes <paramref name="count"/> pending deliveries of <paramref name="webhook"/> straight into the outbox and wakes the dispatcher.</summary>
    internal static async Task<List<Guid>> QueueAsync(PortalFactory factory, Webhook webhook, int count, WebhookTarget target = WebhookTarget.Generic)
    {
        var now = DateTime.UtcNow;
        var rows = Enumerable.Range(1, count).Select(i => new DeliveryRow
        {
            Id = Guid.CreateVersion7(),
            WebhookId = webhook.Id,
            ClientId = "test-client",
            WebhookName = webhook.Name,
            EventId = Guid.NewGuid(),
            Action = UserAction.Created,
            EventType = UserAction.Created.EventType(),
            UserId = $"user-{i}",
            UserName = $"user-{i}",
            Target = target,
            Method = "POST",
            Url = webhook.Url,
            Body = $$"""{"n":{{i}}}""",
            Status = DeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        }).ToList();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Deliveries.AddRange(rows);
            await db.SaveChangesAsync();
        }

        factory.Services.GetRequiredService<DeliverySignal>().Wake();
        return [.. rows.Select(r => r.Id)];
    }
}
