namespace WebhookPortal.Features.Users;

/// <summary>One thing that happened to one user: action, snapshot, when, event id, client IP (login, logout), changed fields (update).</summary>
/// <param name="EventId">The same for every delivery the event causes.</param>
/// <param name="Action">Exactly one action.</param>
/// <param name="OccurredAt">UTC.</param>
/// <param name="IpAddress">The client address for LoggedIn / LoggedOut, else null.</param>
/// <param name="ChangedFields">Template field names that changed, for Updated only (e.g. <c>Email</c>, <c>Password</c>).</param>
/// <param name="SignInClientId">
/// For LoggedIn / LoggedOut: the client ID the user signed in to or out of through single sign-on; null for the portal itself.
/// </param>
/// <param name="Sequence">
/// The user's event sequence number, given when the event is written to the outbox (0 until then); see
/// <see cref="WebhookPortal.Features.Delivery.UserSequence"/>.
/// </param>
public sealed record UserEvent(
    Guid EventId, UserAction Action, UserSnapshot User, DateTime OccurredAt, string? IpAddress, IReadOnlyList<string> ChangedFields,
    string? SignInClientId = null, long Sequence = 0);
