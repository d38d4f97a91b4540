using WebhookPortal.Features.Clients;

namespace WebhookPortal.Features.Webhooks;

/// <summary>A client with its webhooks, ordered by name, as the client page and the API list them (secrets still sealed).</summary>
public sealed record ClientWebhooks(Client Client, IReadOnlyList<Webhook> Webhooks);
