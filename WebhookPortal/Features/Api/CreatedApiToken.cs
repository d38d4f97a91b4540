namespace WebhookPortal.Features.Api;

/// <summary>A token just created: <see cref="Token"/> is the only time the secret exists outside the caller.</summary>
public sealed record CreatedApiToken(ApiToken Entity, string Token);
