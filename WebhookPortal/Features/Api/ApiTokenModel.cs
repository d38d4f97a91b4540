using WebhookPortal.Features.Security;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Api;

/// <summary>What the Create API token dialog edits.</summary>
public sealed class ApiTokenModel
{
    /// <summary>The lifetimes the dialog offers, in days; 0 means the token never expires.</summary>
    public static readonly IReadOnlyList<int> LifetimeChoices = [7, 30, 90, 365, 0];

    public string Name { get; set; } = "";

    /// <summary>Days until the token expires; 0 for never.</summary>
    public int ExpiresInDays { get; set; } = 30;

    public static IEnumerable<string> ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            yield return UiText.Get("Name is required.");
        }
        else if (name.Trim().Length > ApiToken.NameMaxLength)
        {
            yield return UiText.Format("Name must be at most {0} characters.", ApiToken.NameMaxLength);
        }
        else if (TextRules.Problem("Name", name) is { } problem)
        {
            yield return problem;
        }
    }

    public static IEnumerable<string> ValidateExpiresInDays(int days)
    {
        if (days is < 0 or > 3650)
        {
            yield return UiText.Get("Expiry must be 0 (never) or 1 to 3650 days.");
        }
    }
}
