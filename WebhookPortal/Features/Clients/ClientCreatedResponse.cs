using System.Text.Json.Serialization;

namespace WebhookPortal.Features.Clients;

/// <summary>The answer to creating a client: the fields of <see cref="ClientResponse"/> plus the client secret.</summary>
/// <param name="ClientSecret">
/// The client secret in plain text, only for a confidential client and only in this answer (the portal keeps a hash of it);
/// absent for a public client.
/// </param>
public sealed record ClientCreatedResponse(
    string ClientId,
    string DisplayName,
    string Description,
    ClientType Type,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    int WebhookCount,
    DateTime CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientSecret)
{
    public static ClientCreatedResponse From(ClientSummary client, string? clientSecret) => new(client.ClientId, client.DisplayName,
        client.Description, client.Type, client.RedirectUris, client.PostLogoutRedirectUris, client.WebhookCount, client.CreatedAt, clientSecret);
}
