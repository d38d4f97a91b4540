namespace WebhookPortal.Features.Users;

/// <summary>A user as the Users page and the API list and show them (never a password or hash).</summary>
/// <param name="Id">The user id (also <c>{{$$.ID$$}}</c> in templates).</param>
/// <param name="Phone">Empty when unset, as are <paramref name="UserName"/> and <paramref name="Email"/>.</param>
/// <param name="IsAdmin">Whether the user has the administrator role.</param>
/// <param name="CreatedAt">UTC.</param>
/// <param name="ConcurrencyStamp">Identity's stamp as read; an edit made from it is refused once someone changed the user.</param>
/// <param name="Role">The user's portal role (<see cref="PortalRole.Administrator"/> exactly when <paramref name="IsAdmin"/>).</param>
public sealed record UserSummary(string Id, string UserName, string Email, string FirstName, string LastName, string Phone, bool Enabled,
    bool IsAdmin, DateTime CreatedAt, string? ConcurrencyStamp, PortalRole Role = PortalRole.None);
