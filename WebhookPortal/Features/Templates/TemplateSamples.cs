using System.Globalization;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>Sample events for previews and test sends: an ordinary user whose values look like the catalogue's examples.</summary>
public static class TemplateSamples
{
    /// <summary>The sample client ID used when a webhook has none yet (the dialog of a webhook not saved).</summary>
    public const string ClientId = "sample-client";

    /// <summary>
    /// A typical event of <paramref name="action"/> whose values are the catalogue's examples (<see cref="TemplateFields"/>):
    /// user zhangwei (张伟), an IP for login/logout, changed fields for updates, sequence number 42.
    /// </summary>
    public static UserEvent Friendly(UserAction action) => new(
        Guid.Parse(Example("EventID")),
        action,
        new UserSnapshot(
            Id: Example("ID"),
            UserName: Example("Name"),
            Email: Example("Email"),
            FirstName: Example("FirstName"),
            LastName: Example("LastName"),
            Phone: Example("Phone"),
            Enabled: bool.Parse(Example("Enabled")),
            CreatedAt: DateTime.Parse(Example("CreatedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
        DateTime.Parse(Example("OccurredAt"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        action is UserAction.LoggedIn or UserAction.LoggedOut ? Example("IPAddress") : null,
        action == UserAction.Updated ? Example("ChangedFields").Split(',') : [],
        Sequence: long.Parse(Example("Sequence"), CultureInfo.InvariantCulture));

    /// <summary>The sample user (the catalogue's examples): zhangwei, 张伟, enabled.</summary>
    public static UserSnapshot User => Friendly(UserAction.Created).User;

    /// <summary>
    /// The user of Send test, who cannot be taken for a real one wherever a body shows them: id <c>test_</c> + the sample id,
    /// user name "Sample User (test)" (a space and brackets, which no real user name may hold), first and last name "Sample"
    /// and "User (test)", an example.com address; the rest as <see cref="User"/>.
    /// </summary>
    public static UserSnapshot TestUser => User with
    {
        Id = TestIdPrefix + User.Id,
        UserName = "Sample User (test)",
        Email = "sample.user.test@example.com",
        FirstName = "Sample",
        LastName = "User (test)",
    };

    /// <summary>What the id of <see cref="TestUser"/> starts with.</summary>
    public const string TestIdPrefix = "test_";

    /// <summary>A new event (fresh id) of <paramref name="action"/> about <see cref="TestUser"/> at <paramref name="occurredAt"/> (UTC), for Send test.</summary>
    public static UserEvent For(UserAction action, DateTime occurredAt) =>
        Friendly(action) with { EventId = Guid.CreateVersion7(), OccurredAt = occurredAt, User = TestUser };

    private static string Example(string field) => TemplateFields.Find(field)!.Example;
}
