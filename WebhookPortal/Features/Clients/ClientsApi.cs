using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Clients;

/// <summary>The client endpoints, <c>/api/v1/clients</c>; reads and changes go through <see cref="ClientAdministration"/>, as the Docking Portal pages do.</summary>
internal static class ClientsApi
{
    private const string UriRules = "Redirect URIs: absolute, https (http only for localhost or a loopback address), no fragment, " +
        "wildcard or user name, at most 2048 characters, at most 20 per list, no duplicates.";

    public static void Map(RouteGroupBuilder api)
    {
        var clients = api.MapGroup("/clients").WithTags("Clients");

        clients.MapGet("/", async (ClientAdministration admin, string? search, int? page, int? pageSize, CancellationToken cancellationToken) =>
            {
                var paging = Paging.Of(page, pageSize);
                var (items, total) = await admin.ListAsync(search, paging.Index, paging.Size, cancellationToken);
                return TypedResults.Ok(paging.Result(items.Select(ClientResponse.From).ToList(), total));
            })
            .AddEndpointFilter(Paging.Validate).ProducesValidationProblem()
            .WithName("ListClients").WithSummary("List client IDs")
            .WithDescription("Paged (page from 1, pageSize 1–100, default 25), ordered by Client ID; search matches part of the Client ID, display name or description.");

        clients.MapGet("/{clientId}", async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> (
                ClientAdministration admin, HttpResponse response, string clientId, CancellationToken cancellationToken) =>
            {
                if (await admin.FindAsync(clientId, cancellationToken) is not { } client)
                {
                    return ApiResults.NotFound(UiText.Format("Client ID {0}", clientId));
                }

                EntityTags.Send(response, Tag(client));
                return TypedResults.Ok(ClientResponse.From(client));
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("GetClient").WithSummary("Get a client ID")
            .WithDescription("With its single sign-on settings: display name, type, redirect URIs. The secret is never returned.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        clients.MapPost("/", async Task<Results<Created<ClientCreatedResponse>, ValidationProblem, ProblemHttpResult>> (
                ClientAdministration admin, CurrentActor actor, ClientModel model) =>
            {
                if (model.Errors() is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                var result = await admin.CreateAsync(model, await actor.GetAsync());
                if (result.Change != ClientChange.Done)
                {
                    return ApiResults.Conflict(ClientAdministration.DuplicateMessage(model.ClientId.Trim(), result.ExistingClientId));
                }

                var created = (await admin.FindAsync(model.ClientId.Trim()))!;
                return TypedResults.Created($"/api/v1/clients/{Uri.EscapeDataString(created.ClientId)}", ClientCreatedResponse.From(created, result.ClientSecret));
            })
            .WithMetadata(CarriesSecret.Instance)
            .WithName("CreateClient").WithSummary("Register a client ID (an OpenID Connect client)")
            .WithDescription("type is confidential (default; the answer carries clientSecret, shown only here) or public (no secret; PKCE " +
                "required). displayName defaults to the Client ID. " + UriRules)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        clients.MapPut("/{clientId}", async Task<Results<Ok<ClientResponse>, ValidationProblem, ProblemHttpResult>> (
                ClientAdministration admin, CurrentActor actor, HttpContext http, string clientId, ClientModel model) =>
            {
                if (await admin.FindAsync(clientId) is not { } existing)
                {
                    return ApiResults.NotFound(UiText.Format("Client ID {0}", clientId));
                }

                if (EntityTags.Refusal(http.Request, Tag(existing), UiText.Format("Client ID {0}", existing.ClientId)) is { } refused)
                {
                    return refused;
                }

                if (model.Errors(existing) is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                // Without If-Match the change goes over whatever is stored, as it always did.
                model.Version = EntityTags.NamesVersion(http.Request) ? existing.Version : null;
                switch (await admin.UpdateAsync(existing.ClientId, model, await actor.GetAsync()))
                {
                    case ClientChange.Stale:
                        return EntityTags.Collided(http.Request, UiText.Format("Client ID {0}", existing.ClientId));
                    case ClientChange.Done when await admin.FindAsync(existing.ClientId) is { } saved:
                        EntityTags.Send(http.Response, Tag(saved));
                        return TypedResults.Ok(ClientResponse.From(saved));
                    default:
                        return ApiResults.NotFound(UiText.Format("Client ID {0}", clientId));
                }
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("UpdateClient").WithSummary("Change a client's display name, description or redirect URIs")
            .WithDescription("The Client ID and the type cannot change (leave them out or send them unchanged). A field left out " +
                "(displayName, redirectUris, postLogoutRedirectUris) keeps its value; description is replaced. " + UriRules +
                " Answers the new ETag. With If-Match, refused with 412 when the client changed since that ETag was read.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        clients.MapPost("/{clientId}/rotate-secret", async Task<Results<Ok<ClientSecretResponse>, ProblemHttpResult>> (
                ClientAdministration admin, CurrentActor actor, string clientId) =>
            {
                var result = await admin.RotateSecretAsync(clientId, await actor.GetAsync());
                return result.Change switch
                {
                    ClientChange.Done => TypedResults.Ok(new ClientSecretResponse((await admin.FindAsync(clientId))?.ClientId ?? clientId, result.ClientSecret!)),
                    ClientChange.NoSecret => ApiResults.Conflict(ClientAdministration.NoSecretMessage(clientId)),
                    _ => ApiResults.NotFound(UiText.Format("Client ID {0}", clientId)),
                };
            })
            .WithMetadata(CarriesSecret.Instance)
            .WithName("RotateClientSecret").WithSummary("Give a confidential client a new secret")
            .WithDescription("Answers the new secret once; the previous one stops working at once. 409 for a public client, which has no secret.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        clients.MapDelete("/{clientId}", async Task<Results<NoContent, ProblemHttpResult>> (
                ClientAdministration admin, CurrentActor actor, HttpRequest request, string clientId) =>
            {
                int? version = null;
                if (request.Headers.IfMatch.Count > 0)
                {
                    if (await admin.FindAsync(clientId) is not { } existing)
                    {
                        return ApiResults.NotFound(UiText.Format("Client ID {0}", clientId));
                    }

                    if (EntityTags.Refusal(request, Tag(existing), UiText.Format("Client ID {0}", existing.ClientId)) is { } refused)
                    {
                        return refused;
                    }

                    version = EntityTags.NamesVersion(request) ? existing.Version : null;
                }

                return await admin.DeleteAsync(clientId, await actor.GetAsync(), version) switch
                {
                    ClientChange.Done => TypedResults.NoContent(),
                    ClientChange.Stale => EntityTags.Collided(request, UiText.Format("Client ID {0}", clientId)),
                    _ => ApiResults.NotFound(UiText.Format("Client ID {0}", clientId)),
                };
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("DeleteClient").WithSummary("Delete a client ID and its webhooks")
            .WithDescription("Pending deliveries of its webhooks are cancelled; the delivery history is kept. Sign-ins through the client " +
                "stop and the tokens issued to it are revoked. With If-Match, refused with 412 when the client changed since that ETag was read.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static string Tag(ClientSummary client) => EntityTags.Of(client.Version, client.CreatedAt);
}
