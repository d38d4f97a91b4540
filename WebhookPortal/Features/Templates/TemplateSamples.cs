using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>Sample events for previews and test sends: an ordinary user whose values look like the catalogue's examples.</summary>
public static class TemplateSamples
{
    /// <summary>The sample client ID used when a webhook has none yet (the dialog of a webhook not saved).</summary>
    public const string ClientId = "sample-client";

    /// <summary>A typical event of <paramref name="action"/> for user zhangwei (张伟), with an IP for login/logout and changed fields for updates.</summary>
    public static UserEvent Friendly(UserAction action) => new(
        Guid.Parse("0b6c0a8e-1f3d-4c55-9e0b-7d2f1a4c8e21"),
        action,
        new UserSnapshot(
            Id: "3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13",
            UserName: "zhangwei",
            Email: "zhangwei@example.com",
            FirstName: "伟",
            LastName: "张",
            Phone: "+86 138 0000 0000",
            Enabled: true,
            CreatedAt: new DateTime(2026, 11, 29, 9, 14, 41, DateTimeKind.Utc)),
        new DateTime(2026, 11, 29, 9, 14, 42, DateTimeKind.Utc),
        action is UserAction.LoggedIn or UserAction.LoggedOut ? "203.0.113.7" : null,
        action == UserAction.Updated ? ["Email", "Phone"] : []);
}
