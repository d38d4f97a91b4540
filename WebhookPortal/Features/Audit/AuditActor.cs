using System.Security.Claims;

namespace WebhookPortal.Features.Audit;

/// <summary>Who makes a change, for the audit log.</summary>
/// <param name="UserId">Null for the system.</param>
/// <param name="UserName">The user name, or <c>system</c>.</param>
/// <param name="IpAddress">Where the request or circuit came from; null when unknown.</param>
public sealed record AuditActor(string? UserId, string UserName, string? IpAddress)
{
    /// <summary>Changes the portal makes by itself (seeding, auto-disable).</summary>
    public static readonly AuditActor System = new(null, "system", null);

    /// <summary>The actor a signed-in principal is, or <see cref="System"/> when nobody is signed in.</summary>
    public static AuditActor Of(ClaimsPrincipal? user, string? ipAddress) => user?.Identity?.IsAuthenticated == true
        ? new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity.Name ?? "", ipAddress)
        : System with { IpAddress = ipAddress };
}
