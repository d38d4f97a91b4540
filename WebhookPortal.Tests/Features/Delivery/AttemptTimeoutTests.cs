using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The attempt timeout bounds the whole exchange, so a stalling receiver cannot hold a worker (DESIGN §4).</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AttemptTimeoutTests
{
    // Retries an hour apart, so the delivery read after its first attempt is still waiting for the second.
    private static readonly Dictionary<string, string?> OneSecondTimeout = new()
    {
        ["Webhooks:Delivery:AttemptTimeout"] = "00:00:01",
        ["Webhooks:Delivery:RetrySchedule:0"] = "01:00:00",
        ["Webhooks:Delivery:RetrySchedule:1"] = "01:00:00",
    };

    [Fact]
    public async Task Times_out_a_receiver_that_never_answers_and_schedules_a_retry()
    {
        await using var factory = PortalFactory.Create(overrides: OneSecondTimeout);
        await using var receiver = await LoopbackReceiver.StartAsync();
        var never = new TaskCompletionSource<ReceiverResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            receiver.RespondWith(_ => never.Task);
            await factory.UseOnlyWebhookAsync(receiver.Url("/silent"), UserAction.Created);

            var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("silent")));

            var queued = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
            var attempted = await factory.WaitForDeliveryAsync(queued.Id, d => d.AttemptCount >= 1, "attempted although the receiver is silent");
            var attempt = attempted.Attempts[0];
            Assert.False(attempt.Succeeded);
            Assert.Null(attempt.StatusCode);
            Assert.Equal("Timed out after 1 s.", MessageText.English(attempt.Error));
            AssertScheduledForRetry(attempted);
        }
        finally
        {
            never.TrySetResult(new ReceiverResponse(200));
        }
    }

    [Fact]
    public async Task Times_out_a_receiver_that_stalls_in_the_middle_of_its_response_body()
    {
        await using var factory = PortalFactory.Create(overrides: OneSecondTimeout);
        await using var receiver = await LoopbackReceiver.StartAsync();
        var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            receiver.RespondWith(_ => new ReceiverResponse(200, """{"errcode":0,"errmsg":"o""", null, stall.Task));
            await factory.UseOnlyWebhookAsync(receiver.Url("/stall"), UserAction.Created);

            var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("stall")));

            var queued = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
            var attempted = await factory.WaitForDeliveryAsync(queued.Id, d => d.AttemptCount >= 1, "attempted although the receiver stalls");
            var attempt = attempted.Attempts[0];
            Assert.False(attempt.Succeeded);
            Assert.Equal("Timed out after 1 s.", MessageText.English(attempt.Error));
            AssertScheduledForRetry(attempted);
        }
        finally
        {
            stall.TrySetResult();
        }
    }

    /// <summary>
    /// A timeout is worth another try, not a permanent failure: the delivery stays pending, unleased and unfinished, its
    /// next attempt one schedule step (an hour, no jitter) after the one that timed out.
    /// </summary>
    private static void AssertScheduledForRetry(WebhookPortal.Features.Delivery.Delivery delivery)
    {
        Assert.Equal(
            (DeliveryStatus.Pending, 1, "Timed out after 1 s.", (string?)null, (DateTime?)null),
            (delivery.Status, delivery.AttemptCount, MessageText.English(delivery.LastError), delivery.LeaseOwner, delivery.CompletedAt));
        Assert.Equal(TimeSpan.FromHours(1), delivery.NextAttemptAt - delivery.LastAttemptAt);
    }
}
