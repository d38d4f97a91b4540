using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>Redeliver and Retry now through the real dispatcher and a loopback receiver.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryActionsTests(HourlyRetryPortal portal) : IClassFixture<HourlyRetryPortal>, IAsyncLifetime
{
    // Retries an hour apart: anything the receiver gets sooner came from the manual action.
    private readonly PortalFactory factory = portal.Factory;

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await LoopbackReceiver.StartAsync();
        await factory.UseOnlyWebhookAsync(receiver.Url("/hook"), UserAction.Created);
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private DeliveryActions Actions => factory.Services.GetRequiredService<DeliveryActions>();

    [Fact]
    public async Task Redeliver_sends_a_failed_delivery_again_with_the_same_webhook_id()
    {
        receiver.RespondWith(400, "bad");
        var failed = await DeliverToNewUserAsync(d => d.Status == DeliveryStatus.Failed);
        receiver.RespondWith(200, "ok");

        Assert.False(await Actions.RetryNowAsync(failed.Id));
        Assert.True(await Actions.RedeliverAsync(failed.Id));
        var done = await factory.WaitForDeliveryAsync(failed.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded");

        Assert.Equal([1, 2], done.Attempts.Select(a => a.Number));
        var requests = receiver.RequestsTo("/hook");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(failed.MessageId, r.Header("webhook-id")));
        Assert.Null(done.NextAttemptAt);
    }

    [Fact]
    public async Task Redeliver_refuses_a_delivery_whose_webhook_was_deleted()
    {
        receiver.RespondWith(400, "bad");
        var failed = await DeliverToNewUserAsync(d => d.Status == DeliveryStatus.Failed);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Id == failed.WebhookId).ExecuteDeleteAsync();
        }

        Assert.False(await Actions.RedeliverAsync(failed.Id));

        var stored = await factory.WaitForDeliveryAsync(failed.Id, d => true, "the stored row");
        Assert.Equal((DeliveryStatus.Failed, 1), (stored.Status, stored.AttemptCount));
    }

    [Fact]
    public async Task Retry_now_sends_a_pending_delivery_before_its_scheduled_time()
    {
        receiver.RespondWith(500, "down");
        var pending = await DeliverToNewUserAsync(d => d.AttemptCount == 1);
        Assert.Equal(DeliveryStatus.Pending, pending.Status);
        Assert.True(pending.NextAttemptAt > DateTime.UtcNow.AddMinutes(30));
        receiver.RespondWith(200, "ok");

        Assert.False(await Actions.RedeliverAsync(pending.Id));
        Assert.True(await Actions.RetryNowAsync(pending.Id));
        var done = await factory.WaitForDeliveryAsync(pending.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded");

        Assert.Equal(2, done.AttemptCount);
    }

    [Fact]
    public async Task Both_refuse_an_unknown_delivery()
    {
        Assert.False(await Actions.RetryNowAsync(Guid.NewGuid()));
        Assert.False(await Actions.RedeliverAsync(Guid.NewGuid()));
    }

    private async Task<WebhookPortal.Features.Delivery.Delivery> DeliverToNewUserAsync(Func<WebhookPortal.Features.Delivery.Delivery, bool> done)
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("actions")));
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        return await factory.WaitForDeliveryAsync(delivery.Id, done, "the first attempt");
    }
}
