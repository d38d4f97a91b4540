namespace WebhookPortal.Features.Security;

/// <summary>Settings under <c>Security</c>: HTTPS and the reverse proxy in front of the portal.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Redirect plain-HTTP requests to HTTPS (307) and send HSTS on HTTPS answers. Null (unset) means on outside Development.
    /// The redirect needs to know the HTTPS port: the portal's own HTTPS address, or <c>https_port</c> behind a proxy; without
    /// one, requests are served as they come.
    /// </summary>
    public bool? HttpsRedirection { get; set; }

    /// <summary>
    /// Trust <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> from <see cref="KnownProxies"/>: a
    /// TLS-terminating proxy then makes requests count as HTTPS with the visitor's address and host. Default false.
    /// </summary>
    public bool ForwardedHeaders { get; set; }

    /// <summary>
    /// The proxies whose forwarded headers count: addresses (<c>10.0.0.5</c>) or CIDR ranges (<c>10.0.0.0/8</c>). Empty means
    /// loopback only (a proxy on the same host).
    /// </summary>
    public string[] KnownProxies { get; set; } = [];
}
