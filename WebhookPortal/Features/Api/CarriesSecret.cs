namespace WebhookPortal.Features.Api;

/// <summary>
/// Endpoint metadata: the answer carries a secret in plain text (shown once), so <see cref="IdempotencyFilter"/> stores it
/// for replay encrypted with Data Protection; a plain copy would keep the secret readable in the database for hours.
/// </summary>
public sealed class CarriesSecret
{
    /// <summary>The one instance to attach with <c>WithMetadata</c>.</summary>
    public static readonly CarriesSecret Instance = new();

    private CarriesSecret()
    {
    }
}
