using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>The one catalogue of template fields; the renderer, validator and UI all read it.</summary>
public static class TemplateFields
{
    private const UserAction Every = UserAction.Created | UserAction.Updated | UserAction.Deleted | UserAction.LoggedIn | UserAction.LoggedOut;

    public static readonly IReadOnlyList<TemplateField> All =
    [
        new("ID", "User id", "3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13", Every),
        new("Name", "User name", "zhangwei", Every),
        new("Email", "Email address, empty when unset", "zhangwei@example.com", Every),
        new("FirstName", "First name, empty when unset", "伟", Every),
        new("LastName", "Last name, empty when unset", "张", Every),
        new("Phone", "Phone number, empty when unset", "+86 138 0000 0000", Every),
        new("CreatedAt", "When the user was created, RFC 3339 UTC", "2026-11-29T09:14:41Z", Every),
        new("Enabled", "Whether the user may sign in: true or false", "true", Every, IsBoolean: true),
        new("Action", "created, updated, deleted, login or logout", "created", Every),
        new("ActionText", "What happened, in words: was created, was updated, was deleted, logged in, logged out", "was created", Every),
        new("Event", "Event type: user.created, user.updated, user.deleted, user.login, user.logout", "user.created", Every),
        new("EventID", "The event's id, the same for every webhook it fires", "0b6c0a8e-1f3d-4c55-9e0b-7d2f1a4c8e21", Every),
        new("OccurredAt", "When the event happened, RFC 3339 UTC", "2026-11-29T09:14:42Z", Every),
        new("ClientID", "Client ID of the webhook", "wecom-alerts", Every),
        new("WebhookName", "Name of the webhook", "New users to WeCom", Every),
        new("IPAddress", "Client address for login and logout, else empty", "203.0.113.7", UserAction.LoggedIn | UserAction.LoggedOut),
        new("SignInClientID", "Client ID signed in to or out of through single sign-on; empty for the portal itself", "crm", UserAction.LoggedIn | UserAction.LoggedOut),
        new("ChangedFields", "Comma-separated names of the changed fields, update only", "Email,Phone", UserAction.Updated),
        new("Sequence", "The user's event number: grows with each event about this user (with gaps), also sent as webhook-sequence", "42", Every),
    ];

    private static readonly Dictionary<string, TemplateField> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Finds a field by its exact (case-sensitive) name.</summary>
    public static TemplateField? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The closest known field name to <paramref name="name"/>, or null when nothing is close (for "did you mean").</summary>
    public static string? Suggest(string name)
    {
        var exactIgnoringCase = All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        if (exactIgnoringCase is not null)
        {
            return exactIgnoringCase.Name;
        }

        var best = All.Select(f => (f.Name, Distance: Levenshtein(f.Name.ToLowerInvariant(), name.ToLowerInvariant())))
            .MinBy(x => x.Distance);
        return best.Distance <= Math.Max(2, name.Length / 3) ? best.Name : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
