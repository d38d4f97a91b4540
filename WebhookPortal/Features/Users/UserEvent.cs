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

/// <summary>One thing that happened to one user (DESIGN §1).</summary>
/// <param name="EventId">The same for every delivery the event causes.</param>
/// <param name="Action">Exactly one action.</param>
/// <param name="OccurredAt">UTC.</param>
/// <param name="IpAddress">The client address for LoggedIn / LoggedOut, else null.</param>
/// <param name="ChangedFields">Template field names that changed, for Updated only (e.g. <c>Email</c>, <c>Password</c>).</param>
public sealed record UserEvent(
    Guid EventId, UserAction Action, UserSnapshot User, DateTime OccurredAt, string? IpAddress, IReadOnlyList<string> ChangedFields);
