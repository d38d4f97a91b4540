namespace WebhookPortal.Features.Clients;

/// <summary>A client as pages and API show it.</summary>
/// <param name="ClientId">The Client ID.</param>
/// <param name="WebhookCount">How many webhooks it has.</param>
/// <param name="CreatedAt">UTC.</param>
public sealed record ClientSummary(string ClientId, string Description, int WebhookCount, DateTime CreatedAt);
