namespace WebhookPortal.Features.Clients;

/// <summary>A client ID as the API returns it.</summary>
/// <param name="ClientId">Unique, case-insensitive.</param>
/// <param name="Description">Free text.</param>
/// <param name="WebhookCount">How many webhooks the client has.</param>
/// <param name="CreatedAt">When it was registered, UTC.</param>
public sealed record ClientResponse(string ClientId, string Description, int WebhookCount, DateTime CreatedAt)
{
    public static ClientResponse From(ClientSummary client) => new(client.ClientId, client.Description, client.WebhookCount, client.CreatedAt);
}
