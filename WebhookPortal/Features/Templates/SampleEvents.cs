using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>Events about a friendly sample user, for Send test (the hostile one is <see cref="TemplateValidator.HostileSample"/>).</summary>
public static class SampleEvents
{
    /// <summary>The sample user's id; a receiver can tell a test from a real user by it (and by <c>X-Webhook-Event: webhook.test</c>).</summary>
    public const string UserId = "00000000-0000-4000-8000-00000000a11c";

    /// <summary>The sample user: zhangwei, 张伟, enabled, created 2026-11-29 10:03:37 UTC.</summary>
    public static readonly UserSnapshot User = new(
        UserId, "zhangwei", "zhangwei@example.com", FirstName: "伟", LastName: "张", Phone: "+86 138 0000 0000", Enabled: true,
        CreatedAt: new DateTime(2026, 11, 29, 10, 3, 37, DateTimeKind.Utc));

    /// <summary>
    /// A new event of <paramref name="action"/> (exactly one action) about <see cref="User"/> at <paramref name="occurredAt"/>, with a
    /// client address for sign-in and sign-out and changed fields for an update, as real events of those actions have.
    /// </summary>
    public static UserEvent For(UserAction action, DateTime occurredAt) => new(
        Guid.CreateVersion7(),
        action,
        User,
        occurredAt,
        action is UserAction.LoggedIn or UserAction.LoggedOut ? "203.0.113.7" : null,
        action == UserAction.Updated ? ["Email", "Phone"] : []);
}
