using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The SSRF guard: a webhook may only reach public addresses unless configured otherwise. A host is resolved
/// and refused when ANY of its addresses is non-public (<see cref="WhyNotPublic"/>); at connect time the connection goes to
/// the address that was vetted, so a DNS answer that changes between the check and the connect (rebinding) cannot move it.
/// </summary>
public sealed class NetworkGuard(IOptionsMonitor<NetworkOptions> options, ILogger<NetworkGuard> logger)
{
    // Ranges no webhook may reach by default. Sources: RFC 6890 special-purpose registries (IPv4 and IPv6), RFC 1918,
    // RFC 6598 (CGNAT), RFC 3927 (link-local, which holds cloud metadata at 169.254.169.254), RFC 4193 (unique local).
    private static readonly (IPNetwork Network, string Code)[] ForbiddenV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), MessageCodes.ThisNetwork),
        (IPNetwork.Parse("10.0.0.0/8"), MessageCodes.PrivateAddress),
        (IPNetwork.Parse("100.64.0.0/10"), MessageCodes.CarrierGradeNat),
        (IPNetwork.Parse("127.0.0.0/8"), MessageCodes.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), MessageCodes.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), MessageCodes.PrivateAddress),
        (IPNetwork.Parse("192.0.0.0/24"), MessageCodes.ProtocolAssignment),
        (IPNetwork.Parse("192.168.0.0/16"), MessageCodes.PrivateAddress),
        (IPNetwork.Parse("198.18.0.0/15"), MessageCodes.Benchmarking),
        (IPNetwork.Parse("224.0.0.0/4"), MessageCodes.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), MessageCodes.Reserved),
    ];

    private static readonly (IPNetwork Network, string Code)[] ForbiddenV6 =
    [
        (IPNetwork.Parse("::/128"), MessageCodes.Unspecified),
        (IPNetwork.Parse("::1/128"), MessageCodes.Loopback),
        (IPNetwork.Parse("64:ff9b:1::/48"), MessageCodes.LocalNat64),
        (IPNetwork.Parse("fc00::/7"), MessageCodes.UniqueLocal),
        (IPNetwork.Parse("fe80::/10"), MessageCodes.LinkLocalV6),
        (IPNetwork.Parse("fec0::/10"), MessageCodes.SiteLocalV6),
        (IPNetwork.Parse("ff00::/8"), MessageCodes.Multicast),
    ];

    // IPv6 forms that carry an IPv4 address inside: the embedded address is judged by the IPv4 rules.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    /// <summary>In English: why <paramref name="address"/> is not a public unicast address ("a loopback address" …), or null when it is public (<see cref="WhyNotPublicCode"/>).</summary>
    public static string? WhyNotPublic(IPAddress address) => WhyNotPublicCode(address) is { } code ? MessageCodes.English[code] : null;

    /// <summary>
    /// Why <paramref name="address"/> is not a public unicast address, as a network.* <see cref="MessageCodes"/> code
    /// (<see cref="MessageCodes.Loopback"/> …), or null when it is public.
    /// IPv4-mapped (<c>::ffff:a.b.c.d</c>), NAT64 (<c>64:ff9b::/96</c>), 6to4 and IPv4-compatible forms are judged by the
    /// IPv4 address they carry.
    /// </summary>
    public static string? WhyNotPublicCode(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return WhyNotPublicCode(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ForbiddenV4.FirstOrDefault(f => f.Network.Contains(address)).Code;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return MessageCodes.NotAnAddress;
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || (V4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback)))
        {
            return WhyNotPublicCode(new IPAddress(bytes[12..16]));
        }

        if (SixToFour.Contains(address))
        {
            return WhyNotPublicCode(new IPAddress(bytes[2..6]));
        }

        return ForbiddenV6.FirstOrDefault(f => f.Network.Contains(address)).Code;
    }

    /// <summary>
    /// Resolves <paramref name="host"/> (a name or an IP literal, brackets allowed) and returns its addresses when every one
    /// may be reached; otherwise throws.
    /// </summary>
    /// <exception cref="NetworkGuardException">An address is not public (and not allowed), or the host does not resolve.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var name = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(name, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(name, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new NetworkGuardException(new CodedMessage(MessageCodes.Unresolved, host, ex.SocketErrorCode.ToString()), unresolved: true);
            }

            if (addresses.Length == 0)
            {
                throw new NetworkGuardException(new CodedMessage(MessageCodes.NoAddresses, host), unresolved: true);
            }
        }

        if (current.AllowPrivateNetworks || (literal is null && IsAllowedName(current, name)))
        {
            return addresses;
        }

        foreach (var address in addresses)
        {
            if (WhyNotPublicCode(address) is { } code && !IsAllowedAddress(current, address))
            {
                logger.LogWarning("Refused a webhook request to {Host}: {Address} is {Reason}", host, address, MessageCodes.English[code]);
                var reason = new CodedMessage(code);
                throw new NetworkGuardException(literal is null
                    ? new CodedMessage(MessageCodes.HostRefused, host, address.ToString(), reason)
                    : new CodedMessage(MessageCodes.AddressRefused, address.ToString(), reason));
            }
        }

        return addresses;
    }

    /// <summary>
    /// The check made when a webhook is saved, for a friendly error: why requests to <paramref name="url"/>'s host would be
    /// refused, in the current UI language, or null when they would not be (or when the host does not resolve yet — every
    /// attempt checks again).
    /// Resolution is bounded by <paramref name="timeout"/> so a slow DNS server cannot hold the dialog.
    /// </summary>
    public async Task<string?> WhyRefusedAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (options.CurrentValue.AllowPrivateNetworks)
        {
            return null;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await ResolveAsync(url.IdnHost, bounded.Token);
            return null;
        }
        catch (NetworkGuardException ex) when (!ex.Unresolved)
        {
            return MessageText.Render(ex.Reason);
        }
        catch (Exception ex) when (ex is NetworkGuardException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves and vets the request's host, then connects to the
    /// vetted addresses themselves (never resolving again), so the checked address is the connected one.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static bool IsAllowedName(NetworkOptions options, string host) => options.AllowedHosts.Select(entry => entry.Trim()).Any(entry =>
        NetworkOptions.AsRange(entry) is null
        && (string.Equals(entry.TrimEnd('.'), host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
            || (entry.StartsWith("*.", StringComparison.Ordinal) && host.TrimEnd('.').EndsWith(entry[1..].TrimEnd('.'), StringComparison.OrdinalIgnoreCase))));

    // A bare address stands for the range of that one address (/32, /128).
    private static bool IsAllowedAddress(NetworkOptions options, IPAddress address) => options.AllowedHosts.Any(entry =>
        NetworkOptions.AsRange(entry) is { } network
        && (network.Contains(address) || network.Contains(address.MapToIPv6())
            || (address.IsIPv4MappedToIPv6 && network.Contains(address.MapToIPv4()))));
}
