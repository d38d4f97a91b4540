namespace WebhookPortal.Features.Users;

/// <summary>
/// Turns a user event into deliveries: one per enabled webhook watching that action. Scoped: it writes through the
/// same <see cref="Data.PortalDbContext"/> as Identity, so the deliveries commit or roll back with the user change.
/// </summary>
public interface IUserEventNotifier
{
    /// <summary>Adds and saves the deliveries for <paramref name="userEvent"/>; returns how many were added.</summary>
    /// <remarks>Inside a transaction nothing is visible to the dispatcher until the caller commits and calls <see cref="Wake"/>.</remarks>
    Task<int> NotifyAsync(UserEvent userEvent, CancellationToken cancellationToken = default);

    /// <summary>Tells the dispatcher that new deliveries are committed.</summary>
    void Wake();
}
