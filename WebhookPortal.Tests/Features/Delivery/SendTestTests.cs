using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>Send test through the real sender to a loopback receiver, recorded in the real outbox.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SendTestTests(HourlyRetryPortal portal) : IClassFixture<HourlyRetryPortal>, IAsyncLifetime
{
    // Retries an hour apart: a failed test must not be retried, and anything sooner would show.
    private readonly PortalFactory factory = portal.Factory;

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private DeliveryActions Actions => factory.Services.GetRequiredService<DeliveryActions>();

    [Fact]
    public async Task Sends_the_sample_user_now_and_records_a_succeeded_webhook_test_delivery()
    {
        receiver.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/test"), UserAction.Created | UserAction.Updated);

        var result = await Actions.SendTestAsync(webhook.Id, UserAction.Created);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("""{"errcode":0,"errmsg":"ok"}""", result.ResponseExcerpt);
        var request = Assert.Single(receiver.RequestsTo("/test"));
        var delivery = Assert.Single(await factory.DeliveriesAsync());
        Assert.Equal(result.DeliveryId, delivery.Id);
        WebhookAssert.HasStandardHeaders(request, delivery, DeliveryActions.TestEventType, withBody: true);
        var body = WebhookAssert.StringObject(request);
        // Nobody can take the sample for a real user: the name says test, the id starts with test_.
        Assert.Equal(("Sample User (test)", "Sample", "User (test)", "test_" + TemplateSamples.User.Id), (body["username"], body["first_name"], body["last_name"], body["id"]));
        Assert.Equal(
            (DeliveryActions.TestEventType, UserAction.Created, DeliveryStatus.Succeeded, 1, (string?)null, (DateTime?)null),
            (delivery.EventType, delivery.Action, delivery.Status, delivery.AttemptCount, delivery.LeaseOwner, delivery.NextAttemptAt));
        Assert.True(Assert.Single(delivery.Attempts).Succeeded);
    }

    [Fact]
    public async Task Works_for_a_disabled_webhook()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/other"), UserAction.Created);
        var disabled = await factory.AddWebhookAsync(receiver.Url("/disabled"), UserAction.LoggedIn, name: "Not yet on", enabled: false);

        var result = await Actions.SendTestAsync(disabled.Id, UserAction.LoggedIn);

        Assert.True(result.Succeeded, result.Error);
        Assert.Single(receiver.RequestsTo("/disabled"));
        Assert.Empty(receiver.RequestsTo("/other"));
        var delivery = Assert.Single(await factory.DeliveriesAsync());
        Assert.Equal(("Not yet on", UserAction.LoggedIn), (delivery.WebhookName, delivery.Action));
    }

    [Fact]
    public async Task The_sample_event_has_the_chosen_action_and_its_values()
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/values"), UserAction.LoggedIn,
            body: """{"event":"{{$$.Event$$}}","action":"{{$$.Action$$}}","ip":"{{$$.IPAddress$$}}","hook":"{{$$.WebhookName$$}}"}""");

        var result = await Actions.SendTestAsync(webhook.Id, UserAction.LoggedIn);

        Assert.True(result.Succeeded, result.Error);
        var body = WebhookAssert.StringObject(Assert.Single(receiver.RequestsTo("/values")));
        Assert.Equal(("user.login", "login", "203.0.113.7", "Test webhook"), (body["event"], body["action"], body["ip"], body["hook"]));
    }

    [Fact]
    public async Task A_dead_receiver_comes_back_as_a_failed_result_and_a_failed_delivery_that_is_not_retried()
    {
        var dead = LoopbackReceiver.Reserve();
        var webhook = await factory.UseOnlyWebhookAsync(dead.Url("/dead"), UserAction.Created);

        var result = await Actions.SendTestAsync(webhook.Id, UserAction.Created);

        Assert.False(result.Succeeded);
        Assert.Null(result.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        var delivery = Assert.Single(await factory.DeliveriesAsync());
        Assert.Equal((DeliveryStatus.Failed, 1, (DateTime?)null), (delivery.Status, delivery.AttemptCount, delivery.NextAttemptAt));
        Assert.Equal(result.Error, MessageText.Render(delivery.LastError));
    }

    [Fact]
    public async Task A_failed_test_can_be_redelivered_with_the_same_webhook_id()
    {
        receiver.RespondWith(500, "not yet");
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/again"), UserAction.Created);
        var result = await Actions.SendTestAsync(webhook.Id, UserAction.Created);
        Assert.Equal((DeliveryStatus.Failed, 500), (result.Status, result.StatusCode));
        receiver.RespondWith(200, "fine");

        Assert.True(await Actions.RedeliverAsync(result.DeliveryId!.Value));
        var done = await factory.WaitForDeliveryAsync(result.DeliveryId.Value, d => d.Status == DeliveryStatus.Succeeded, "Succeeded");

        Assert.Equal(2, done.AttemptCount);
        var requests = receiver.RequestsTo("/again");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal((done.MessageId, DeliveryActions.TestEventType), (r.Header("webhook-id"), r.Header("X-Webhook-Event"))));
    }

    [Fact]
    public async Task A_deleted_webhook_is_reported_in_the_result_and_nothing_is_recorded()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/gone"), UserAction.Created);

        var result = await Actions.SendTestAsync(int.MaxValue, UserAction.Created);

        Assert.False(result.Succeeded);
        Assert.Null(result.DeliveryId);
        Assert.Contains("does not exist", result.Error);
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Deliveries.CountAsync());
    }
}
