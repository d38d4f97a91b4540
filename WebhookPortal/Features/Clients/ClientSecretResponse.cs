namespace WebhookPortal.Features.Clients;

/// <summary>A client's new secret, answered once by <c>POST /api/v1/clients/{clientId}/rotate-secret</c>.</summary>
/// <param name="ClientId">The Client ID.</param>
/// <param name="ClientSecret">The new secret in plain text; the previous one no longer works. Not shown again.</param>
public sealed record ClientSecretResponse(string ClientId, string ClientSecret);
