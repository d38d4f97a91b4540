using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>A retry scheduled sooner than the poll interval is made when it falls due, through the real dispatcher.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ShortRetryTests
{
    [Fact]
    public async Task Retries_shorter_than_the_poll_interval_are_made_when_due()
    {
        // An hour between polls: without waking at the retry's due time, the first failure would be the only attempt.
        var overrides = Enumerable.Range(0, 10).ToDictionary(i => $"Webhooks:Delivery:RetrySchedule:{i}", _ => (string?)"00:00:00.200");
        overrides["Webhooks:Delivery:PollInterval"] = "01:00:00";
        await using var factory = PortalFactory.Create(overrides: overrides);
        await using var receiver = LoopbackReceiver.Reserve();
        await factory.UseOnlyWebhookAsync(receiver.Url("/short"), UserAction.Created);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("short")));
        var queued = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);

        var retried = await factory.WaitForDeliveryAsync(queued.Id, d => d.AttemptCount >= 3, "retried twice");

        Assert.Equal(DeliveryStatus.Pending, retried.Status);
        Assert.All(retried.Attempts, a => Assert.False(a.Succeeded));
    }
}
