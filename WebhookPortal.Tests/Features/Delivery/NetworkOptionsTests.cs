using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary><c>Webhooks:Network:AllowedHosts</c>: every entry is a host name, an IP address or a CIDR range, or start-up stops naming it.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class NetworkOptionsTests
{
    [Theory]
    [InlineData("hooks.example.com")]
    [InlineData("*.example.com")]
    [InlineData("localhost")]
    [InlineData("my_service")]
    [InlineData("LOCALHOST.")]
    [InlineData("10.20.0.5")]
    [InlineData("fd00::5")]
    [InlineData("10.20.0.0/16")]
    [InlineData("fd00::/8")]
    public void Host_names_addresses_and_ranges_can_be_read(string entry)
    {
        Assert.Empty(new NetworkOptions { AllowedHosts = [entry] }.Unreadable());
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.1")]
    [InlineData("https://hooks.example.com")]
    [InlineData("hooks.example.com:8443")]
    [InlineData("")]
    public void Anything_else_cannot(string entry)
    {
        Assert.Equal([entry], new NetworkOptions { AllowedHosts = [entry] }.Unreadable());
    }

    [Fact]
    public void A_bare_address_is_the_range_of_that_one_address()
    {
        Assert.Equal(System.Net.IPNetwork.Parse("10.20.0.5/32"), NetworkOptions.AsRange("10.20.0.5"));
        Assert.Equal(System.Net.IPNetwork.Parse("fd00::5/128"), NetworkOptions.AsRange("fd00::5"));
        Assert.Null(NetworkOptions.AsRange("hooks.example.com"));
    }

    [Fact]
    public async Task An_unreadable_entry_stops_start_up_naming_it()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Network:AllowedHosts:0"] = "10.20.0.5",
            ["Webhooks:Network:AllowedHosts:1"] = "10.0.0.0/33",
            ["Webhooks:Network:AllowedHosts:2"] = "https://hooks.example.com",
        });
        builder.AddDelivery();
        // The portal's own registration of the options; its background services need a database this test has no use for.
        builder.Services.RemoveAll<IHostedService>();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("'10.0.0.0/33'", error.Message);
        Assert.Contains("'https://hooks.example.com'", error.Message);
        Assert.DoesNotContain("'10.20.0.5'", error.Message);
    }
}
