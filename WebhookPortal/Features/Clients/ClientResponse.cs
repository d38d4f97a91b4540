namespace WebhookPortal.Features.Clients;

/// <summary>A client ID as the API returns it.</summary>
/// <param name="ClientId">Unique, case-insensitive; the OpenID Connect <c>client_id</c>.</param>
/// <param name="DisplayName">The name users see when they sign in.</param>
/// <param name="Description">Free text.</param>
/// <param name="Type"><c>confidential</c> or <c>public</c>.</param>
/// <param name="RedirectUris">Where sign-ins may return to.</param>
/// <param name="PostLogoutRedirectUris">Where sign-outs may return to.</param>
/// <param name="WebhookCount">How many webhooks the client has.</param>
/// <param name="CreatedAt">When it was registered, UTC.</param>
public sealed record ClientResponse(
    string ClientId,
    string DisplayName,
    string Description,
    ClientType Type,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    int WebhookCount,
    DateTime CreatedAt)
{
    public static ClientResponse From(ClientSummary client) => new(client.ClientId, client.DisplayName, client.Description, client.Type,
        client.RedirectUris, client.PostLogoutRedirectUris, client.WebhookCount, client.CreatedAt);
}
