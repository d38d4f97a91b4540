namespace WebhookPortal.Features.Users;

/// <summary>What happened to a user. Flags, so a webhook can subscribe to several actions at once.</summary>
[Flags]
public enum UserAction
{
    None = 0,
    Created = 1,
    Updated = 2,
    Deleted = 4,
    LoggedIn = 8,
    LoggedOut = 16,
}
