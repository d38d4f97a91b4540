namespace WebhookPortal.Features.Users;

/// <summary>A user as the API returns it (never a password or hash).</summary>
/// <param name="Id">The user id (also <c>{{$$.ID$$}}</c> in templates).</param>
/// <param name="IsAdmin">Whether the user is an administrator.</param>
/// <param name="ConcurrencyStamp">Send it back on update to refuse the save if someone changed the user meanwhile.</param>
/// <param name="CreatedAt">UTC.</param>
/// <param name="Role">Administrator, Auditor or None; change it with <c>PUT /api/v1/users/{id}/role</c>.</param>
public sealed record UserResponse(string Id, string UserName, string Email, string FirstName, string LastName, string Phone, bool Enabled,
    bool IsAdmin, DateTime CreatedAt, string? ConcurrencyStamp, PortalRole Role)
{
    public static UserResponse From(UserSummary user) => new(user.Id, user.UserName, user.Email, user.FirstName, user.LastName, user.Phone,
        user.Enabled, user.IsAdmin, user.CreatedAt, user.ConcurrencyStamp, user.Role);
}
