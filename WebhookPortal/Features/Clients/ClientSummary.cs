namespace WebhookPortal.Features.Clients;

/// <summary>A client as pages and API show it, with its single sign-on settings.</summary>
/// <param name="ClientId">The Client ID.</param>
/// <param name="DisplayName">The name users see when they sign in; the Client ID for a client without an application yet.</param>
/// <param name="Description">Free text.</param>
/// <param name="Type">Confidential (has a secret) or public (PKCE).</param>
/// <param name="RedirectUris">Where sign-ins may return to, as saved.</param>
/// <param name="PostLogoutRedirectUris">Where sign-outs may return to, as saved.</param>
/// <param name="WebhookCount">How many webhooks it has.</param>
/// <param name="CreatedAt">UTC.</param>
/// <param name="Version">The client's <see cref="Client.Version"/> as read; an edit made from it is refused once someone changed the client.</param>
public sealed record ClientSummary(
    string ClientId,
    string DisplayName,
    string Description,
    ClientType Type,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    int WebhookCount,
    DateTime CreatedAt,
    int Version = 0);
