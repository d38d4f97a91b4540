using System.Net;
using System.Net.Sockets;

namespace WebhookPortal.Features.Delivery;

/// <summary>Where webhooks may send requests (<c>Webhooks:Network</c>).</summary>
public sealed class NetworkOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Webhooks:Network";

    /// <summary>
    /// Allow loopback, private, link-local and other non-public addresses. False by default; true in Development so that the
    /// built-in Inbox (<c>http://localhost:5080/inbox/…</c>) can be tried on one machine.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Exceptions to the guard: host names (exact, case-insensitive; <c>*.example.com</c> for sub-domains) whose addresses are
    /// not checked, and IP addresses (<c>10.20.0.5</c>, <c>fd00::5</c>) and CIDR ranges (<c>10.20.0.0/16</c>, <c>fd00::/8</c>)
    /// whose addresses are allowed. An entry that is none of these stops start-up (<see cref="Unreadable"/>).
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// The addresses <paramref name="entry"/> of <see cref="AllowedHosts"/> allows: a CIDR range as written, a bare IP address
    /// as the range of that one address; null for a host name or an entry that cannot be read.
    /// </summary>
    public static IPNetwork? AsRange(string entry)
    {
        var text = entry.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(text, out var range) ? range : null;
        }

        // IPAddress.TryParse also reads "10.1" and "167772161" as addresses; only the full dotted or colon forms are taken as one.
        return (text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3) && IPAddress.TryParse(text.Trim('[', ']'), out var address)
            ? new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }

    /// <summary>
    /// The entries of <see cref="AllowedHosts"/> that are neither an IP address, a CIDR range nor a host name (letters, digits,
    /// hyphens, underscores and dots, optionally after <c>*.</c>), e.g. <c>10.0.0.0/33</c>, <c>10.1</c>, <c>https://hooks.example.com</c>; empty when all can be read.
    /// </summary>
    public IReadOnlyList<string> Unreadable() => [.. AllowedHosts.Where(entry => AsRange(entry) is null && !IsHostName(entry.Trim()))];

    private static bool IsHostName(string entry)
    {
        var name = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
        return !entry.Contains('/', StringComparison.Ordinal)
            && !name.TrimEnd('.').All(c => char.IsAsciiDigit(c) || c == '.')
            // Container and intranet names may hold an underscore (my_service), which DNS labels do not.
            && Uri.CheckHostName(name.TrimEnd('.').Replace('_', '-')) == UriHostNameType.Dns;
    }
}
