using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;

namespace WebhookPortal.Features.Clients;

/// <summary>The client endpoints, <c>/api/v1/clients</c>; reads and changes go through <see cref="ClientAdministration"/>, as the Docking Portal pages do.</summary>
internal static class ClientsApi
{
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
            .WithDescription("Paged (page from 1, pageSize 1–100, default 25), ordered by Client ID; search matches part of the Client ID or description.");

        clients.MapGet("/{clientId}", async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> (ClientAdministration admin, string clientId, CancellationToken cancellationToken) =>
                await admin.FindAsync(clientId, cancellationToken) is { } client
                    ? TypedResults.Ok(ClientResponse.From(client))
                    : ApiResults.NotFound($"Client ID {clientId}"))
            .WithName("GetClient").WithSummary("Get a client ID")
            .ProducesProblem(StatusCodes.Status404NotFound);

        clients.MapPost("/", async Task<Results<Created<ClientResponse>, ValidationProblem, ProblemHttpResult>> (
                ClientAdministration admin, CurrentActor actor, ClientModel model) =>
            {
                if (model.Errors() is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                var result = await admin.CreateAsync(model, await actor.GetAsync());
                if (result != ClientChange.Done)
                {
                    return ApiResults.Conflict(ClientAdministration.DuplicateMessage(model.ClientId.Trim()));
                }

                var created = (await admin.FindAsync(model.ClientId.Trim()))!;
                return TypedResults.Created($"/api/v1/clients/{Uri.EscapeDataString(created.ClientId)}", ClientResponse.From(created));
            })
            .WithName("CreateClient").WithSummary("Register a client ID")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        clients.MapPut("/{clientId}", async Task<Results<Ok<ClientResponse>, ValidationProblem, ProblemHttpResult>> (
                ClientAdministration admin, CurrentActor actor, string clientId, ClientModel model) =>
            {
                if (model.Errors() is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                return await admin.UpdateAsync(clientId, model, await actor.GetAsync()) switch
                {
                    ClientChange.NotFound => ApiResults.NotFound($"Client ID {clientId}"),
                    ClientChange.Duplicate => ApiResults.Conflict(ClientAdministration.DuplicateMessage(model.ClientId.Trim())),
                    _ => TypedResults.Ok(ClientResponse.From((await admin.FindAsync(model.ClientId.Trim()))!)),
                };
            })
            .WithName("UpdateClient").WithSummary("Change a client's Client ID or description")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        clients.MapDelete("/{clientId}", async Task<Results<NoContent, ProblemHttpResult>> (ClientAdministration admin, CurrentActor actor, string clientId) =>
                await admin.DeleteAsync(clientId, await actor.GetAsync()) == ClientChange.Done
                    ? TypedResults.NoContent()
                    : ApiResults.NotFound($"Client ID {clientId}"))
            .WithName("DeleteClient").WithSummary("Delete a client ID and its webhooks")
            .WithDescription("Pending deliveries of its webhooks are cancelled; the delivery history is kept.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
