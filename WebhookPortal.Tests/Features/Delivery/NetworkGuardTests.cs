using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

[Trait("Category", TestCategories.Integration)]
public sealed class NetworkGuardTests : IAsyncLifetime
{
    private LoopbackReceiver receiver = default!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("10.1.2.3", "a private (RFC 1918) address")]
    [InlineData("172.31.255.255", "a private (RFC 1918) address")]
    [InlineData("192.168.1.1", "a private (RFC 1918) address")]
    [InlineData("169.254.169.254", "a link-local address (cloud metadata lives here)")]
    [InlineData("100.64.0.1", "a carrier-grade NAT (RFC 6598) address")]
    [InlineData("0.0.0.0", "an unspecified (\"this network\") address")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("255.255.255.255", "a reserved or broadcast address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("::", "the unspecified address")]
    [InlineData("fd00::1", "a unique-local (private) IPv6 address")]
    [InlineData("fe80::1", "a link-local IPv6 address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("::ffff:127.0.0.1", "a loopback address")]
    [InlineData("::ffff:169.254.169.254", "a link-local address (cloud metadata lives here)")]
    [InlineData("64:ff9b::7f00:1", "a loopback address")]
    [InlineData("64:ff9b::a00:1", "a private (RFC 1918) address")]
    [InlineData("2002:7f00:1::", "a loopback address")]
    public void Names_why_an_address_is_not_public(string address, string reason)
    {
        Assert.Equal(reason, NetworkGuard.WhyNotPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("203.0.113.7")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Public_addresses_pass(string address)
    {
        Assert.Null(NetworkGuard.WhyNotPublic(IPAddress.Parse(address)));
    }

    public static TheoryData<string> HostileForms() =>
    [
        "127.0.0.1", "127.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "[::ffff:127.0.0.1]", "[::1]", "localhost", "localhost.",
        "169.254.169.254", "[fd00::1]", "0.0.0.0",
    ];

    [Theory]
    [MemberData(nameof(HostileForms))]
    public async Task Refuses_every_form_of_a_private_address_and_nothing_arrives(string host)
    {
        using var http = Client(new NetworkOptions());

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync($"http://{host}:{receiver.Port}/ssrf"));

        Assert.IsType<NetworkGuardException>(error.InnerException ?? error);
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task The_same_forms_reach_the_listener_when_private_networks_are_allowed(string host)
    {
        // The control for the test above: the listener is reachable, so its silence there is the guard's doing.
        using var http = Client(new NetworkOptions { AllowPrivateNetworks = true });

        using var response = await http.GetAsync($"http://{host}:{receiver.Port}/allowed");

        Assert.Equal("/allowed", Assert.Single(receiver.Requests).Path);
    }

    [Theory]
    [InlineData("127.0.0.0/8", "127.0.0.1")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData(" 127.0.0.1 ", "127.0.0.1")]
    [InlineData("::ffff:127.0.0.0/104", "127.0.0.1")]
    [InlineData("localhost", "localhost")]
    [InlineData("LOCALHOST.", "localhost")]
    public async Task Allowed_hosts_and_ranges_are_exceptions(string allowed, string host)
    {
        using var http = Client(new NetworkOptions { AllowedHosts = [allowed] });

        using var response = await http.GetAsync($"http://{host}:{receiver.Port}/exception");

        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("*.example.com", "hooks.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com.", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "evilexample.com", false)]
    [InlineData("hooks.example.com", "hooks.example.com.evil.test", false)]
    [InlineData("10.0.0.0/8", "10.0.0.0", false)]
    public void Host_name_exceptions_match_exactly_or_by_subdomain(string allowed, string host, bool expected)
    {
        Assert.Equal(expected, NetworkGuard.IsAllowedName(new NetworkOptions { AllowedHosts = [allowed] }, host));
    }

    [Fact]
    public async Task An_unresolvable_host_is_refused_with_its_name()
    {
        var guard = new NetworkGuard(new StaticOptionsMonitor<NetworkOptions>(new NetworkOptions()), NullLogger<NetworkGuard>.Instance);

        var error = await Assert.ThrowsAsync<NetworkGuardException>(() => guard.ResolveAsync("no-such-host.invalid", CancellationToken.None));

        Assert.Contains("no-such-host.invalid", error.Message);
    }

    private static HttpClient Client(NetworkOptions options)
    {
        var guard = new NetworkGuard(new StaticOptionsMonitor<NetworkOptions>(options), NullLogger<NetworkGuard>.Instance);
        return new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
    }
}
