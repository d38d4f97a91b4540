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
    /// not checked, and CIDR ranges (<c>10.20.0.0/16</c>, <c>fd00::/8</c>) whose addresses are allowed.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];
}
