using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

[Trait("Category", TestCategories.Unit)]
public sealed class DeliveryOptionsTests
{
    [Fact]
    public void Uses_the_documented_retry_schedule_when_none_is_configured()
    {
        var options = Bind([]);

        Assert.Equal(
            [
                TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
                TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
            ],
            options.RetrySchedule);
    }

    [Fact]
    public void Configured_retry_schedule_replaces_the_default_instead_of_extending_it()
    {
        var options = Bind(new()
        {
            ["Webhooks:Delivery:RetrySchedule:0"] = "00:00:10",
            ["Webhooks:Delivery:RetrySchedule:1"] = "00:01:00",
        });

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)], options.RetrySchedule);
    }

    [Fact]
    public void Binds_timeouts_and_retry_counts_from_configuration()
    {
        var options = Bind(new()
        {
            ["Webhooks:Delivery:AttemptTimeout"] = "00:00:07",
            ["Webhooks:Delivery:QuickRetries"] = "0",
            ["Webhooks:Delivery:PollInterval"] = "00:00:00.250",
        });

        Assert.Equal(TimeSpan.FromSeconds(7), options.AttemptTimeout);
        Assert.Equal(0, options.QuickRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.PollInterval);
    }

    private static DeliveryOptions Bind(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDelivery();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
    }
}
