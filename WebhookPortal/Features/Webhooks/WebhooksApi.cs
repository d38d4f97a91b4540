using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Webhooks;

/// <summary>The webhook endpoints, <c>/api/v1/clients/{clientId}/webhooks</c>.</summary>
internal static class WebhooksApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/clients/{clientId}/webhooks").WithTags("Webhooks");

        webhooks.MapGet("/", async Task<Results<Ok<IReadOnlyList<WebhookResponse>>, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, string clientId, CancellationToken cancellationToken) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
                if (client is null)
                {
                    return ClientNotFound(clientId);
                }

                var list = await db.Webhooks.AsNoTracking().Where(w => w.ClientKey == client.Id).OrderBy(w => w.Name).ToListAsync(cancellationToken);
                return TypedResults.Ok<IReadOnlyList<WebhookResponse>>([.. list.Select(w => WebhookResponse.From(w, client.ClientId))]);
            })
            .WithName("ListWebhooks").WithSummary("List the webhooks of a client ID")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapGet("/{id:int}", async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, string clientId, int id, CancellationToken cancellationToken) =>
                await FindAsync(dbFactory, clientId, id, cancellationToken) is { } webhook
                    ? TypedResults.Ok(WebhookResponse.From(webhook, webhook.Client!.ClientId))
                    : WebhookNotFound(clientId, id))
            .WithName("GetWebhook").WithSummary("Get a webhook")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/", async Task<Results<Created<WebhookResponse>, ValidationProblem, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, WebhookAdministration admin, CurrentActor actor, string clientId, WebhookRequest request) =>
            {
                int clientKey;
                await using (var db = await dbFactory.CreateDbContextAsync())
                {
                    var key = await db.Clients.Where(c => c.ClientId == clientId).Select(c => (int?)c.Id).FirstOrDefaultAsync();
                    if (key is null)
                    {
                        return ClientNotFound(clientId);
                    }

                    clientKey = key.Value;
                }

                var model = request.ToModel(null);
                if (model.Errors() is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                var saved = await admin.CreateAsync(clientKey, model, await actor.GetAsync());
                if (!saved.Succeeded)
                {
                    return saved.NotFound ? ClientNotFound(clientId) : ApiResults.Invalid(saved.Field ?? "", saved.Error!);
                }

                return TypedResults.Created($"/api/v1/clients/{Uri.EscapeDataString(clientId)}/webhooks/{saved.Webhook!.Id}",
                    WebhookResponse.From(saved.Webhook, clientId));
            })
            .WithName("CreateWebhook").WithSummary("Create a webhook")
            .WithDescription("Validated as in the Create Webhook dialog; the URL's host must be one the portal may reach (400 on `url` otherwise).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPut("/{id:int}", async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, WebhookAdministration admin, CurrentActor actor, string clientId, int id, WebhookRequest request) =>
            {
                if (await FindAsync(dbFactory, clientId, id, default) is not { } existing)
                {
                    return WebhookNotFound(clientId, id);
                }

                var model = request.ToModel(existing);
                if (model.Errors() is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                var saved = await admin.UpdateAsync(id, model, await actor.GetAsync());
                if (!saved.Succeeded)
                {
                    return saved.NotFound ? WebhookNotFound(clientId, id) : ApiResults.Invalid(saved.Field ?? "", saved.Error!);
                }

                return TypedResults.Ok(WebhookResponse.From(saved.Webhook!, existing.Client!.ClientId));
            })
            .WithName("UpdateWebhook").WithSummary("Replace a webhook's settings")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, WebhookAdministration admin, CurrentActor actor, string clientId, int id) =>
                await FindAsync(dbFactory, clientId, id, default) is not null && await admin.DeleteAsync(id, await actor.GetAsync())
                    ? TypedResults.NoContent()
                    : WebhookNotFound(clientId, id))
            .WithName("DeleteWebhook").WithSummary("Delete a webhook")
            .WithDescription("Its pending deliveries are cancelled; the delivery history is kept.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        MapSetEnabled(webhooks, "enable", true);
        MapSetEnabled(webhooks, "disable", false);

        webhooks.MapPost("/{id:int}/test", async Task<Results<Ok<TestSendResponse>, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, DeliveryActions actions, string clientId, int id, UserAction? action, CancellationToken cancellationToken) =>
            {
                if (await FindAsync(dbFactory, clientId, id, cancellationToken) is null)
                {
                    return WebhookNotFound(clientId, id);
                }

                var result = await actions.SendTestAsync(id, action ?? UserAction.None, cancellationToken);
                return TypedResults.Ok(TestSendResponse.From(result));
            })
            .WithName("SendTestWebhook").WithSummary("Send a test event now")
            .WithDescription("Renders the webhook for a sample user and the given action (default: its first action), sends it once, enabled or not, and returns the receiver's answer. Recorded as a delivery of event type webhook.test.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:int}/rotate-secret", async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, WebhookAdministration admin, CurrentActor actor, string clientId, int id) =>
            {
                if (await FindAsync(dbFactory, clientId, id, default) is null
                    || await admin.RotateSigningSecretAsync(id, await actor.GetAsync()) is not { } secret)
                {
                    return WebhookNotFound(clientId, id);
                }

                var after = await FindAsync(dbFactory, clientId, id, default);
                return TypedResults.Ok(new RotatedSecretResponse(secret, after?.PreviousSigningSecretExpiresAt));
            })
            .WithName("RotateWebhookSecret").WithSummary("Generate a new signing secret")
            .WithDescription("Returns the new whsec_ secret — its only appearance; store it. The replaced secret keeps signing (a second webhook-signature entry) for 24 hours.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapSetEnabled(RouteGroupBuilder webhooks, string verb, bool enabled) =>
        webhooks.MapPost("/{id:int}/" + verb, async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, WebhookAdministration admin, CurrentActor actor, string clientId, int id) =>
            {
                if (await FindAsync(dbFactory, clientId, id, default) is null || !await admin.SetEnabledAsync(id, enabled, await actor.GetAsync()))
                {
                    return WebhookNotFound(clientId, id);
                }

                var webhook = (await FindAsync(dbFactory, clientId, id, default))!;
                return TypedResults.Ok(WebhookResponse.From(webhook, webhook.Client!.ClientId));
            })
            .WithName(enabled ? "EnableWebhook" : "DisableWebhook").WithSummary(enabled ? "Enable a webhook" : "Disable a webhook")
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Webhook?> FindAsync(IDbContextFactory<PortalDbContext> dbFactory, string clientId, int id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Webhooks.AsNoTracking().Include(w => w.Client).FirstOrDefaultAsync(w => w.Id == id && w.Client!.ClientId == clientId, cancellationToken);
    }

    private static ProblemHttpResult ClientNotFound(string clientId) => ApiResults.NotFound($"Client ID {clientId}");

    private static ProblemHttpResult WebhookNotFound(string clientId, int id) => ApiResults.NotFound($"Webhook {id} of client ID {clientId}");
}
