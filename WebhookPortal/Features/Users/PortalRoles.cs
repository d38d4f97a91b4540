using System.Security.Claims;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Users;

/// <summary>
/// The Identity role names behind <see cref="PortalRole"/> and the authorization policies built on them: pages, the API
/// and the buttons a page shows all ask these, so an Auditor is refused alike everywhere.
/// </summary>
public static class PortalRoles
{
    /// <summary>The Identity role of administrators ("Admin", <see cref="AdminOptions.Role"/>, as stored since the first start).</summary>
    public const string Administrator = AdminOptions.Role;

    /// <summary>The Identity role of read-only auditors.</summary>
    public const string Auditor = "Auditor";

    /// <summary>Policy: signed in as an <see cref="Administrator"/> or an <see cref="Auditor"/>; guards the pages both may read.</summary>
    public const string ReadPolicy = "Read";

    /// <summary>Policy: signed in as an <see cref="Administrator"/>; guards every change and the Users and API tokens pages.</summary>
    public const string AdministerPolicy = "Administer";

    /// <summary>Every Identity role name the portal seeds at start-up.</summary>
    public static readonly IReadOnlyList<string> All = [Administrator, Auditor];

    /// <summary>The Identity role name of <paramref name="role"/>; null for <see cref="PortalRole.None"/>.</summary>
    public static string? Name(PortalRole role) => role switch
    {
        PortalRole.Administrator => Administrator,
        PortalRole.Auditor => Auditor,
        _ => null,
    };

    /// <summary>The highest <see cref="PortalRole"/> among Identity role names (unknown names are ignored).</summary>
    public static PortalRole Of(IEnumerable<string> roleNames)
    {
        var names = roleNames.ToHashSet(StringComparer.Ordinal);
        return names.Contains(Administrator) ? PortalRole.Administrator
            : names.Contains(Auditor) ? PortalRole.Auditor
            : PortalRole.None;
    }

    /// <summary>Whether <paramref name="user"/> may change things (<see cref="AdministerPolicy"/>).</summary>
    public static bool CanAdminister(ClaimsPrincipal user) => user.IsInRole(Administrator);
}
