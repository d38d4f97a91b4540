using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>Send test makes exactly one request, even where deliveries get quick retries.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SendTestOnceTests : IAsyncLifetime
{
    private readonly PortalFactory factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
    {
        ["Webhooks:Delivery:QuickRetries"] = "2",
        ["Webhooks:Delivery:QuickRetryDelay"] = "00:00:00.010",
        ["Webhooks:Delivery:RetrySchedule:0"] = "01:00:00",
    });

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task A_test_is_sent_once_while_an_event_gets_its_quick_retries()
    {
        receiver.RespondWith(500, "down");
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/once"), UserAction.Created);

        var result = await factory.Services.GetRequiredService<DeliveryActions>().SendTestAsync(webhook.Id, UserAction.Created);
        Assert.Equal(500, result.StatusCode);
        Assert.Single(receiver.RequestsTo("/once"));

        // The control: the same receiver, an ordinary event, three requests (one and two quick retries).
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("once")));
        await factory.WaitForDeliveryAsync((await factory.SingleDeliveryAsync(user.Id, UserAction.Created)).Id, d => d.AttemptCount == 1, "one attempt");
        Assert.Equal(4, receiver.RequestsTo("/once").Count);
    }
}
