namespace WebhookPortal.Features.Users;

/// <summary>
/// What a user may do in the portal; each user has at most one. Ordered by rights: an <see cref="Administrator"/> may
/// do everything an <see cref="Auditor"/> may. Travels by name in the API (<c>"role": "Auditor"</c>).
/// </summary>
public enum PortalRole
{
    /// <summary>Neither role: the user can sign in to their account and through docked systems, not open the portal's pages.</summary>
    None = 0,

    /// <summary>Reads the Dashboard, Docking Portal, Deliveries, Audit log and Inbox, and the API's GETs; changes nothing.</summary>
    Auditor = 1,

    /// <summary>Everything, including users, roles and API tokens.</summary>
    Administrator = 2,
}
