namespace WebhookPortal.Features.Users;

/// <summary>Names of each action in the UI, in templates and on the wire.</summary>
public static class UserActions
{
    /// <summary>The five single actions, in the order the UI lists them.</summary>
    public static readonly IReadOnlyList<UserAction> All =
        [UserAction.Created, UserAction.Updated, UserAction.Deleted, UserAction.LoggedIn, UserAction.LoggedOut];

    /// <summary>The UI label: Create, Update, Delete, Login, Logout (the DCE 5.0 words).</summary>
    public static string Label(this UserAction action) => action switch
    {
        UserAction.Created => "Create",
        UserAction.Updated => "Update",
        UserAction.Deleted => "Delete",
        UserAction.LoggedIn => "Login",
        UserAction.LoggedOut => "Logout",
        _ => string.Join(", ", All.Where(a => action.HasFlag(a)).Select(Label)),
    };

    /// <summary>The <c>{{$$.Action$$}}</c> value: created, updated, deleted, login, logout.</summary>
    public static string ActionName(this UserAction action) => action switch
    {
        UserAction.Created => "created",
        UserAction.Updated => "updated",
        UserAction.Deleted => "deleted",
        UserAction.LoggedIn => "login",
        UserAction.LoggedOut => "logout",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Exactly one action is expected."),
    };

    /// <summary>
    /// The <c>{{$$.ActionText$$}}</c> value, words that complete "User zhangwei …": was created, was updated, was deleted,
    /// logged in, logged out. Lets one message template read well for every action a webhook watches.
    /// </summary>
    public static string ActionText(this UserAction action) => action switch
    {
        UserAction.Created => "was created",
        UserAction.Updated => "was updated",
        UserAction.Deleted => "was deleted",
        UserAction.LoggedIn => "logged in",
        UserAction.LoggedOut => "logged out",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Exactly one action is expected."),
    };

    /// <summary>The event type sent as <c>X-Webhook-Event</c>: <c>user.created</c> … <c>user.logout</c>.</summary>
    public static string EventType(this UserAction action) => "user." + action.ActionName();
}
