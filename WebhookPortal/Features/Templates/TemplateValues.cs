using System.Globalization;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>The value of every catalogue field for one event rendered for one webhook.</summary>
public sealed class TemplateValues
{
    private readonly Dictionary<string, string> values;

    private TemplateValues(Dictionary<string, string> values) => this.values = values;

    /// <summary>The text of a field; throws <see cref="KeyNotFoundException"/> for a name outside the catalogue.</summary>
    public string this[string field] => values[field];

    /// <summary>Fills every field from <paramref name="userEvent"/> and the webhook's client ID and name.</summary>
    public static TemplateValues For(UserEvent userEvent, string clientId, string webhookName)
    {
        var user = userEvent.User;
        return new TemplateValues(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = user.Id,
            ["Name"] = user.UserName,
            ["Email"] = user.Email,
            ["FirstName"] = user.FirstName,
            ["LastName"] = user.LastName,
            ["Phone"] = user.Phone,
            ["CreatedAt"] = Rfc3339(user.CreatedAt),
            ["Enabled"] = user.Enabled ? "true" : "false",
            ["Action"] = userEvent.Action.ActionName(),
            ["ActionText"] = userEvent.Action.ActionText(),
            ["Event"] = userEvent.Action.EventType(),
            ["EventID"] = userEvent.EventId.ToString(),
            ["OccurredAt"] = Rfc3339(userEvent.OccurredAt),
            ["ClientID"] = clientId,
            ["WebhookName"] = webhookName,
            ["IPAddress"] = userEvent.IpAddress ?? "",
            ["SignInClientID"] = userEvent.SignInClientId ?? "",
            ["ChangedFields"] = string.Join(",", userEvent.ChangedFields),
            ["Sequence"] = userEvent.Sequence.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <summary>RFC 3339 in UTC with whole seconds, e.g. <c>2026-11-29T09:14:41Z</c>.</summary>
    public static string Rfc3339(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
