using System.Text.RegularExpressions;
using WebhookPortal.Features.Localization;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Audit;

/// <summary>
/// An audit entry's action, subject and details in the current UI language. Entries are stored language-free (the log is
/// evidence and must not change with the reader): details as a <see cref="CodedMessage"/>, older ones in English, whose
/// fixed words around the names are translated when shown; text it does not recognise is shown as stored.
/// </summary>
public static partial class AuditText
{
    /// <summary>
    /// The actions the portal records, with their names in the UI (keys of Strings.resx), in the order the Audit page's
    /// filter lists them. An action missing here is shown as stored.
    /// </summary>
    public static readonly IReadOnlyList<(string Action, string Name)> Actions =
    [
        ("user.created", "User created"),
        ("user.updated", "User updated"),
        ("user.deleted", "User deleted"),
        ("user.login", "User signed in"),
        ("user.logout", "User signed out"),
        ("user.made_administrator", "Administrator role granted"),
        ("user.administrator_revoked", "Administrator role taken away"),
        ("user.made_auditor", "Auditor role granted"),
        ("user.auditor_revoked", "Auditor role taken away"),
        ("client.created", "Client created"),
        ("client.updated", "Client updated"),
        ("client.secret_rotated", "Client secret rotated"),
        ("client.deleted", "Client deleted"),
        ("webhook.created", "Webhook created"),
        ("webhook.updated", "Webhook updated"),
        ("webhook.secret_changed", "Webhook secret changed"),
        ("webhook.enabled", "Webhook enabled"),
        ("webhook.disabled", "Webhook disabled"),
        ("webhook.deleted", "Webhook deleted"),
        ("webhook.recovered", "Failed deliveries redelivered"),
        ("webhook.paused_cancelled", "Paused deliveries cancelled"),
        ("api_token.created", "API token created"),
        ("api_token.revoked", "API token revoked"),
        ("sso.client_authentication_failed", "Client authentication failed"),
    ];

    private static readonly Dictionary<string, string> ActionNames = Actions.ToDictionary(a => a.Action, a => a.Name, StringComparer.Ordinal);

    /// <summary>The action's name in the current UI language, e.g. <c>webhook.created</c> → "Webhook created" / "Webhook 已创建"; unknown actions as stored.</summary>
    public static string Action(string action) => ActionNames.TryGetValue(action, out var name) ? UiText.Get(name) : action;

    /// <summary>
    /// The details of a change to the fields <paramref name="fields"/> (property names: FirstName, Url …) of a
    /// <paramref name="kind"/> (<c>user</c>, <c>client</c>, <c>webhook</c>): "Changed: First name, Phone", each field named
    /// by the label of the form that edits it.
    /// </summary>
    public static CodedMessage Changed(string kind, IEnumerable<string> fields) => new(MessageCodes.AuditChanged,
        MessageArg.OfList(fields.Select(f => FieldLabels.TryGetValue((kind, f), out var label) ? MessageArg.OfTerm(label) : (MessageArg)f)));

    /// <summary>The subject, e.g. "webhook New users (client demo)" → "Webhook New users（客户端 demo）".</summary>
    public static string Subject(string subject)
    {
        if (WebhookSubject().Match(subject) is { Success: true } webhook)
        {
            return UiText.Format("webhook {0} (client {1})", webhook.Groups[1].Value, webhook.Groups[2].Value);
        }

        foreach (var kind in (ReadOnlySpan<string>)["client", "user", "API token"])
        {
            if (subject.StartsWith(kind + " ", StringComparison.Ordinal))
            {
                return UiText.Format(kind + " {0}", subject[(kind.Length + 1)..]);
            }
        }

        return subject;
    }

    /// <summary>
    /// The details: a coded message (<see cref="AuditTrail"/>) in the current UI language, or, for entries stored before
    /// codes, English text: "Changed: Email, Phone", "With 2 webhook(s).", "Signing secret rotated; …" and the like, whose changed
    /// fields are stored as property names (FirstName, Url); they are shown with the labels of the forms that edit them,
    /// which depend on the entry's <paramref name="action"/> (<c>user.updated</c>: Name is the user name).
    /// </summary>
    public static string? Details(string? details, string? action = null)
    {
        if (string.IsNullOrEmpty(details))
        {
            return details;
        }

        if (CodedMessage.Parse(details) is { } coded)
        {
            return MessageText.Render(coded);
        }

        // Entries stored before details were coded: English text.

        if (details.StartsWith("Changed: ", StringComparison.Ordinal))
        {
            var kind = action?.Split('.')[0] ?? "";
            var fields = details["Changed: ".Length..].Split(", ")
                .Select(field => FieldLabels.TryGetValue((kind, field), out var label) ? UiText.Get(label) : field);
            return UiText.Format("Changed: {0}", string.Join(UiText.Get(", "), fields));
        }

        if (WithWebhooks().Match(details) is { Success: true } with)
        {
            return UiText.Format("With {0} webhook(s).", with.Groups[1].Value);
        }

        if (Expires().Match(details) is { Success: true } expires)
        {
            return UiText.Format("Expires {0}.", expires.Groups[1].Value);
        }

        if (CancelledPaused().Match(details) is { Success: true } cancelled)
        {
            return cancelled.Groups[1].Success
                ? UiText.Format("Cancelled {0} paused deliveries.", cancelled.Groups[1].Value)
                : UiText.Format("Cancelled paused delivery {0}.", cancelled.Groups[2].Value);
        }

        if (Recovered().Match(details) is { Success: true } recovered)
        {
            return UiText.Format("Requeued {0} failed deliveries since {1} UTC.", recovered.Groups[1].Value, recovered.Groups[2].Value);
        }

        if (details is "Never expires." or "Confidential client." or "Public client.")
        {
            return UiText.Get(details);
        }

        if (Created().Match(details) is { Success: true } created)
        {
            var actions = string.Join(UiText.Get(", "), created.Groups[3].Value.Split(", ").Select(UiText.Get));
            return UiText.Format("{0}, {1}, actions: {2}", UiText.Get(created.Groups[1].Value), created.Groups[2].Value, actions);
        }

        var parts = details.Split("; ");
        if (parts.All(p => SecretChange().IsMatch(p)))
        {
            return string.Join(UiText.Get("; "), parts.Select(p => SecretChange().Match(p) is var m && m.Groups[1].Success
                ? UiText.Format("Secret header {0} " + m.Groups[2].Value, m.Groups[1].Value)
                : UiText.Get(p)));
        }

        return details;
    }

    // (kind, stored property name) → the form's label (a key of Strings.resx). Where these names are written:
    // PortalUserManager.ChangedFields, ClientAdministration.UpdateAsync and WebhookAdministration.UpdateAsync.
    private static readonly Dictionary<(string Kind, string Field), string> FieldLabels = new()
    {
        [("user", "Name")] = "User name",
        [("user", "Email")] = "Email",
        [("user", "FirstName")] = "First name",
        [("user", "LastName")] = "Last name",
        [("user", "Phone")] = "Phone",
        [("user", "Enabled")] = "Enabled status",
        [("user", "Password")] = "Password",
        [("client", "ClientId")] = "Client ID",
        [("client", "Description")] = "Description",
        [("client", "DisplayName")] = "Display name",
        [("client", "RedirectUris")] = "Redirect URIs",
        [("client", "PostLogoutRedirectUris")] = "Post-logout redirect URIs",
        [("webhook", "Name")] = "Name",
        [("webhook", "Object")] = "Object",
        [("webhook", "Actions")] = "Action",
        [("webhook", "SignIns")] = "Sign-ins",
        [("webhook", "Url")] = "URL",
        [("webhook", "Target")] = "Target",
        [("webhook", "Method")] = "Method",
        [("webhook", "Body")] = "Message Body",
        [("webhook", "Headers")] = "Headers",
    };

    [GeneratedRegex(@"^webhook (.*) \(client (.*)\)$", RegexOptions.Singleline)]
    private static partial Regex WebhookSubject();

    [GeneratedRegex(@"^With (\d+) webhook\(s\)\.$")]
    private static partial Regex WithWebhooks();

    // Written by DeliveryActions when an administrator cancels paused deliveries.
    [GeneratedRegex(@"^Cancelled (?:(\d+) paused deliveries|paused delivery ([0-9a-f-]+))\.$")]
    private static partial Regex CancelledPaused();

    // Written by DeliveryActions.RecoverAsync.
    [GeneratedRegex(@"^Requeued (\d+) failed deliveries since (.+) UTC\.$")]
    private static partial Regex Recovered();

    [GeneratedRegex(@"^Expires (.+)\.$")]
    private static partial Regex Expires();

    // "<target name>, <METHOD>, actions: …": any target name, so a new target needs no change here (UiText keeps an
    // unknown name as it is).
    [GeneratedRegex(@"^(.+?), ([A-Z]+), actions: (.+)$")]
    private static partial Regex Created();

    [GeneratedRegex(@"^(?:Secret header (.+)|Signing secret|Robot secret) (generated|rotated|set|changed|added|removed)$")]
    private static partial Regex SecretChange();
}
