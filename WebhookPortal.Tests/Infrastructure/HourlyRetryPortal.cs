namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// A class fixture holding one <see cref="PortalFactory"/> whose retries wait an hour: a failed attempt leaves its delivery
/// pending for the rest of the class, and anything a receiver gets sooner came from the test. The tests of the class share
/// the host and its database, so each starts with <see cref="PortalData.UseOnlyWebhookAsync"/>.
/// </summary>
public sealed class HourlyRetryPortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = PortalFactory.Create(overrides: new Dictionary<string, string?>
    {
        ["Webhooks:Delivery:RetrySchedule:0"] = "01:00:00",
        ["Webhooks:Delivery:RetrySchedule:1"] = "01:00:00",
    });

    public Task InitializeAsync()
    {
        Factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
