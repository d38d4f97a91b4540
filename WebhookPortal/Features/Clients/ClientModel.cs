using System.Text.RegularExpressions;
using WebhookPortal.Features.Security;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Clients;

/// <summary>What the Create Client dialog returns and the API accepts; <see cref="Errors"/> holds the rules.</summary>
public sealed partial class ClientModel
{
    public string ClientId { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>Errors for <see cref="ClientId"/>: required, 3–64 characters of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public static IEnumerable<string> ValidateClientId(string? clientId)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            yield return UiText.Get("Client ID is required.");
        }
        else if (clientId.Length is < 3 or > 64)
        {
            yield return UiText.Get("Client ID must be 3 to 64 characters long.");
        }
        else if (!ClientIdPattern().IsMatch(clientId))
        {
            yield return UiText.Get("Client ID may only contain letters, digits, '.', '_' and '-'.");
        }
    }

    /// <summary>
    /// Errors for <see cref="Description"/>: at most <see cref="Client.DescriptionMaxLength"/> characters of valid text; line
    /// breaks and tabs allowed, other control characters not.
    /// </summary>
    public static IEnumerable<string> ValidateDescription(string? description)
    {
        if (description?.Length > Client.DescriptionMaxLength)
        {
            yield return UiText.Format("Description must be at most {0} characters.", Client.DescriptionMaxLength);
        }
        else if (TextRules.Problem("Description", description, multiLine: true) is { } problem)
        {
            yield return problem;
        }
    }

    /// <summary>Every error of the model, empty when it may be saved.</summary>
    public IReadOnlyList<string> Validate() => [.. Errors().Values.SelectMany(e => e)];

    /// <summary>The errors per field (keys are the JSON names the API uses); empty when the model may be saved.</summary>
    public IReadOnlyDictionary<string, string[]> Errors() => FieldErrors.Of(
        ("clientId", ValidateClientId(ClientId)),
        ("description", ValidateDescription(Description)));

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex ClientIdPattern();
}
