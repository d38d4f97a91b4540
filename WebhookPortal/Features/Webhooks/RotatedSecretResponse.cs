namespace WebhookPortal.Features.Webhooks;

/// <summary>A new signing secret, shown this once.</summary>
/// <param name="SigningSecret">The Standard Webhooks secret (<c>whsec_…</c>).</param>
/// <param name="PreviousSecretValidUntil">Until when (UTC) the replaced secret also signs, or null when there was none.</param>
public sealed record RotatedSecretResponse(string SigningSecret, DateTime? PreviousSecretValidUntil);
