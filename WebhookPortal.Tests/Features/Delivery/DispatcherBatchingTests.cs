using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// The dispatcher claims ahead of its free slots and records attempts in batches (issue 7): neither may lose, repeat or
/// strand a delivery.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DispatcherBatchingTests
{
    [Fact]
    public async Task A_burst_across_webhooks_is_sent_once_each_and_every_attempt_recorded_once()
    {
        await using var factory = PortalFactory.Create();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var first = await factory.UseOnlyWebhookAsync(receiver.Url("/a"), UserAction.Created, name: "A");
        var others = new[] { "B", "C", "D", "E" };
        var queued = await IsolationTests.QueueAsync(factory, first, 120);
        foreach (var name in others)
        {
            var webhook = await factory.AddWebhookAsync(receiver.Url("/" + name), UserAction.Created, name: name);
            queued.AddRange(await IsolationTests.QueueAsync(factory, webhook, 20));
        }

        var settled = await Eventually.MatchesAsync(
            () => factory.DeliveriesAsync(),
            list => list.Count(d => d.Status == DeliveryStatus.Succeeded) == queued.Count,
            "all 200 delivered", describe: list => $"{list.Count(d => d.Status == DeliveryStatus.Succeeded)} of {list.Count} succeeded");

        Assert.Equal(queued.Order(), settled.Select(d => d.Id).Order());
        Assert.All(settled, d => Assert.Equal((1, 1, true, (string?)null, (DateTime?)null), (d.AttemptCount, Assert.Single(d.Attempts).Number, d.Attempts[0].Succeeded, d.LeaseOwner, d.LeaseUntil)));
        var ids = receiver.Requests.Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal(settled.Select(d => d.MessageId).Order(), ids.Order());
    }

    [Fact]
    public async Task Stopping_hands_back_the_deliveries_claimed_ahead_and_those_in_flight_unsent()
    {
        // Two slots: two attempts hang, and two more deliveries wait claimed ahead of them.
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:MaxConcurrency"] = "2",
            ["Webhooks:Delivery:AttemptTimeout"] = "00:00:30",
        });
        await using var receiver = await LoopbackReceiver.StartAsync();
        var never = new TaskCompletionSource<ReceiverResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            receiver.RespondWith(_ => never.Task);
            var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/hang"), UserAction.Created);
            var queued = await IsolationTests.QueueAsync(factory, webhook, 5);
            await Eventually.MatchesAsync(
                () => factory.DeliveriesAsync(),
                list => list.Count(d => d.LeaseOwner is not null) == 4 && receiver.Requests.Count == 2,
                "two attempts hanging and two deliveries claimed ahead",
                describe: list => $"{list.Count(d => d.LeaseOwner is not null)} leased, {receiver.Requests.Count} requests");

            await factory.Services.GetRequiredService<DeliveryDispatcher>().StopAsync(CancellationToken.None);

            var after = await factory.DeliveriesAsync();
            Assert.Equal(queued.Order(), after.Select(d => d.Id).Order());
            // Handed back: the next start sends them at once instead of waiting out a two-minute lease; none was counted.
            Assert.All(after, d => Assert.Equal((DeliveryStatus.Pending, 0, (string?)null, (DateTime?)null), (d.Status, d.AttemptCount, d.LeaseOwner, d.LeaseUntil)));
            Assert.Equal(2, receiver.Requests.Count);
        }
        finally
        {
            never.TrySetResult(new ReceiverResponse(200));
        }
    }
}
