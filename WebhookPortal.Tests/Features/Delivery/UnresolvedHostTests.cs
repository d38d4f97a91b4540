using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>A host name that does not resolve is a passing DNS problem, not a refusal: the delivery stays on its schedule.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UnresolvedHostTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_host_that_does_not_resolve_is_retried_on_the_schedule()
    {
        await factory.UseOnlyWebhookAsync("http://no-such-host.invalid/hook", UserAction.Created);

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("dns")));
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        var attempted = await factory.WaitForDeliveryAsync(delivery.Id, d => d.AttemptCount >= 1, "an attempt");

        Assert.Contains("could not be resolved", MessageText.English(attempted.Attempts[0].Error));
        Assert.DoesNotContain("Refused", MessageText.English(attempted.Attempts[0].Error));
        Assert.True(attempted.Status == DeliveryStatus.Pending || attempted.AttemptCount > 1,
            $"A DNS failure must be retried, but the delivery is {attempted.Status} after {attempted.AttemptCount} attempt(s).");
    }
}
