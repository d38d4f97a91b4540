using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>A receiver that is down never fails a user change; the delivery waits on its durable schedule and arrives once the receiver is back.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ReceiverDownTests
{
    [Fact]
    public async Task Delivers_a_change_made_while_the_receiver_was_down_once_it_comes_back()
    {
        // Retries every second, ten times: room enough to see the failure and bring the receiver back on a busy machine.
        var overrides = Enumerable.Range(0, 10).ToDictionary(i => $"Webhooks:Delivery:RetrySchedule:{i}", _ => (string?)"00:00:01");
        await using var factory = PortalFactory.Create(overrides: overrides);
        await using var receiver = LoopbackReceiver.Reserve();
        await factory.UseOnlyWebhookAsync(receiver.Url("/down"), UserAction.Updated, body: """{"email":"{{$$.Email$$}}"}""");
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("down")));
        var newEmail = PortalData.UniqueName("while-down") + "@example.test";

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var result = await users.SetEmailAsync((await users.FindByIdAsync(user.Id))!, newEmail);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        var queued = Assert.Single(await factory.DeliveriesForUserAsync(user.Id));
        Assert.Equal(DeliveryStatus.Pending, queued.Status);
        var failedOnce = await factory.WaitForDeliveryAsync(queued.Id, d => d.AttemptCount >= 1, "attempted");
        Assert.Equal(DeliveryStatus.Pending, failedOnce.Status);
        Assert.NotNull(failedOnce.NextAttemptAt);
        var refused = failedOnce.Attempts[0];
        Assert.False(refused.Succeeded);
        Assert.Null(refused.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(refused.Error), "A refused connection should leave its error on the attempt.");
        Assert.Equal(refused.Error, failedOnce.Attempts[^1].Error);
        Assert.False(string.IsNullOrWhiteSpace(failedOnce.LastError));

        await receiver.StartListeningAsync();

        var request = await receiver.WaitForRequestToAsync("/down", Eventually.DefaultTimeout);
        Assert.Equal(newEmail, WebhookAssert.StringObject(request)["email"]);
        var delivered = await factory.WaitForDeliveryAsync(queued.Id, d => d.Status != DeliveryStatus.Pending, "finished");
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        WebhookAssert.HasStandardHeaders(request, delivered, "user.updated", withBody: true);
        Assert.True(delivered.AttemptCount >= 2);
        Assert.Equal(delivered.AttemptCount, delivered.Attempts.Count);
        Assert.Equal(Enumerable.Range(1, delivered.AttemptCount), delivered.Attempts.Select(a => a.Number));
        Assert.All(delivered.Attempts.SkipLast(1), a => Assert.False(a.Succeeded));
        Assert.Equal((200, true), (delivered.Attempts[^1].StatusCode, delivered.Attempts[^1].Succeeded));
        Assert.Null(delivered.LastError);
    }

    [Fact]
    public async Task Delivers_exactly_once_with_the_same_webhook_id_after_three_refused_attempts()
    {
        var overrides = Enumerable.Range(0, 10).ToDictionary(i => $"Webhooks:Delivery:RetrySchedule:{i}", _ => (string?)"00:00:01");
        await using var factory = PortalFactory.Create(overrides: overrides);
        await using var receiver = LoopbackReceiver.Reserve();
        await factory.UseOnlyWebhookAsync(receiver.Url("/thrice"), UserAction.Created);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("thrice")));
        var queued = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);

        var refused = await factory.WaitForDeliveryAsync(queued.Id, d => d.AttemptCount >= 3, "refused three times");
        Assert.Equal(DeliveryStatus.Pending, refused.Status);
        await receiver.StartListeningAsync();

        var delivered = await factory.WaitForDeliveryAsync(queued.Id, d => d.Status != DeliveryStatus.Pending, "finished");
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        Assert.True(delivered.AttemptCount >= 4);
        Assert.All(delivered.Attempts.SkipLast(1), a => Assert.Null(a.StatusCode));
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(delivered.MessageId, request.Header("webhook-id"));
    }
}
