using WebhookPortal.Data;

namespace WebhookPortal.Features.Users;

/// <summary>The user's fields as a webhook can show them, taken at the moment of the event.</summary>
/// <param name="CreatedAt">UTC.</param>
public sealed record UserSnapshot(
    string Id, string UserName, string Email, string FirstName, string LastName, string Phone, bool Enabled, DateTime CreatedAt)
{
    /// <summary>Copies the shown fields of <paramref name="user"/>; nulls become empty strings.</summary>
    public static UserSnapshot Of(PortalUser user) => new(
        user.Id, user.UserName ?? "", user.Email ?? "", user.FirstName, user.LastName, user.PhoneNumber ?? "", user.Enabled,
        DateTime.SpecifyKind(user.CreatedAt, DateTimeKind.Utc));
}
