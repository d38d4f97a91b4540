using System.Globalization;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Webhooks;

/// <summary>The webhook endpoints, <c>/api/v1/clients/{clientId}/webhooks</c>.</summary>
internal static class WebhooksApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/clients/{clientId}/webhooks").WithTags("Webhooks");

        webhooks.MapGet("/", async Task<Results<Ok<IReadOnlyList<WebhookResponse>>, ProblemHttpResult>> (
                WebhookAdministration admin, string clientId, CancellationToken cancellationToken) =>
                await admin.ListAsync(clientId, cancellationToken) is { } list
                    ? TypedResults.Ok<IReadOnlyList<WebhookResponse>>([.. list.Webhooks.Select(w => WebhookResponse.From(w, list.Client.ClientId))])
                    : ClientNotFound(clientId))
            .WithName("ListWebhooks").WithSummary("List the webhooks of a client ID")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapGet("/{id:int}", async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> (
                WebhookAdministration admin, HttpResponse response, string clientId, int id, CancellationToken cancellationToken) =>
            {
                if (await admin.FindAsync(clientId, id, cancellationToken) is not { } webhook)
                {
                    return WebhookNotFound(clientId, id);
                }

                EntityTags.Send(response, Tag(webhook));
                return TypedResults.Ok(WebhookResponse.From(webhook, webhook.Client!.ClientId));
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("GetWebhook").WithSummary("Get a webhook")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/", async Task<Results<Created<WebhookResponse>, ValidationProblem, ProblemHttpResult>> (
                WebhookAdministration admin, CurrentActor actor, string clientId, WebhookRequest request) =>
            {
                if (await admin.FindClientKeyAsync(clientId) is not { } clientKey)
                {
                    return ClientNotFound(clientId);
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
            .WithDescription("Validated as in the Create Webhook dialog, with its rules: a bare WeCom robot key in `url` is completed to the robot's URL, " +
                "the target is detected from the URL unless given, and without a `body` the target's first preset is the body. " +
                "The URL's host must be one the portal may reach (400 on `url` otherwise).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPut("/{id:int}", async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> (
                WebhookAdministration admin, CurrentActor actor, HttpContext http, string clientId, int id, WebhookRequest request) =>
            {
                if (await admin.FindAsync(clientId, id) is not { } existing)
                {
                    return WebhookNotFound(clientId, id);
                }

                if (EntityTags.Refusal(http.Request, Tag(existing), What(clientId, id)) is { } refused)
                {
                    return refused;
                }

                var model = request.ToModel(existing);
                // Without If-Match the change goes over whatever is stored, as it always did; with it, also a change that lands
                // between this read and the write is refused.
                model.Version = EntityTags.NamesVersion(http.Request) ? existing.Version : null;
                if (model.Errors() is { Count: > 0 } errors)
                {
                    return ApiResults.Invalid(errors);
                }

                var saved = await admin.UpdateAsync(id, model, await actor.GetAsync());
                if (!saved.Succeeded)
                {
                    return saved.NotFound ? WebhookNotFound(clientId, id)
                        : saved.Stale ? EntityTags.Collided(http.Request, What(clientId, id))
                        : ApiResults.Invalid(saved.Field ?? "", saved.Error!);
                }

                EntityTags.Send(http.Response, Tag(saved.Webhook!));
                return TypedResults.Ok(WebhookResponse.From(saved.Webhook!, existing.Client!.ClientId));
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("UpdateWebhook").WithSummary("Replace a webhook's settings")
            .WithDescription("Answers the new ETag. With If-Match, refused with 412 when the webhook changed since that ETag was read.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        webhooks.MapDelete("/{id:int}", async Task<Results<NoContent, ProblemHttpResult>> (
                WebhookAdministration admin, CurrentActor actor, HttpRequest request, string clientId, int id) =>
            {
                if (await admin.FindAsync(clientId, id) is not { } existing)
                {
                    return WebhookNotFound(clientId, id);
                }

                if (EntityTags.Refusal(request, Tag(existing), What(clientId, id)) is { } refused)
                {
                    return refused;
                }

                if (await admin.DeleteAsync(id, await actor.GetAsync(), EntityTags.NamesVersion(request) ? existing.Version : null))
                {
                    return TypedResults.NoContent();
                }

                // Changed or deleted between the check and the delete.
                return await admin.FindAsync(clientId, id) is null ? WebhookNotFound(clientId, id) : EntityTags.Collided(request, What(clientId, id));
            })
            .WithMetadata(ConditionalRequests.Instance)
            .WithName("DeleteWebhook").WithSummary("Delete a webhook")
            .WithDescription("Its pending deliveries are cancelled; the delivery history is kept. With If-Match, refused with 412 when the webhook changed since that ETag was read.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        MapSetEnabled(webhooks, "enable", true);
        MapSetEnabled(webhooks, "disable", false);

        webhooks.MapPost("/{id:int}/cancel-paused", async Task<Results<Ok<CancelledDeliveriesResponse>, ProblemHttpResult>> (
                WebhookAdministration admin, DeliveryActions actions, CurrentActor actor, string clientId, int id) =>
                await admin.FindAsync(clientId, id) is not null && await actions.CancelPausedAsync(id, await actor.GetAsync()) is { } count
                    ? TypedResults.Ok(new CancelledDeliveriesResponse(count))
                    : WebhookNotFound(clientId, id))
            .WithName("CancelPausedDeliveries").WithSummary("Cancel a disabled webhook's paused deliveries")
            .WithDescription("While a webhook is disabled its pending deliveries are Paused; this cancels all of them at once and returns how many. " +
                "Without it they are sent in their order when the webhook is enabled again.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:int}/recover", async Task<Results<Accepted<RecoveredDeliveriesResponse>, ValidationProblem, ProblemHttpResult>> (
                WebhookAdministration admin, DeliveryActions actions, CurrentActor actor, TimeProvider time, string clientId, int id, RecoverRequest request) =>
            {
                if (string.IsNullOrWhiteSpace(request.Since))
                {
                    return ApiResults.Invalid("since", "since is required: an ISO 8601 date and time, e.g. 2026-12-01T00:00:00Z.");
                }

                if (!DateTimeOffset.TryParse(request.Since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return ApiResults.Invalid("since", "since must be an ISO 8601 date and time, e.g. 2026-12-01T00:00:00Z.");
                }

                var since = parsed.UtcDateTime;
                if (since > time.GetUtcNow().UtcDateTime)
                {
                    return ApiResults.Invalid("since", "since must not be in the future.");
                }

                if (await admin.FindAsync(clientId, id) is not { } webhook
                    || await actions.RecoverAsync(id, since, await actor.GetAsync()) is not { } count)
                {
                    return WebhookNotFound(clientId, id);
                }

                return TypedResults.Accepted((string?)null, new RecoveredDeliveriesResponse(count, since, !webhook.Enabled));
            })
            .WithName("RecoverWebhookDeliveries").WithSummary("Send again every delivery that failed since a time")
            .WithDescription("Queues again each delivery of the webhook that finally failed at or after `since` (ISO 8601; UTC when it has no offset; not in the future), " +
                "with the same request and webhook-id, and returns how many. Safe to repeat: a delivery already queued again is not queued twice. " +
                "Follow them in the delivery list (status Pending, then Succeeded or Failed). While the webhook is disabled they wait as Paused (`paused` is true).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:int}/test", async Task<Results<Ok<TestSendResponse>, ValidationProblem, ProblemHttpResult>> (
                WebhookAdministration admin, DeliveryActions actions, string clientId, int id, UserAction? action, CancellationToken cancellationToken) =>
            {
                // The binder reads numbers and flag lists too (99, 0, "Created,Updated"); a test is of one action.
                if (action is { } asked && !UserActions.All.Contains(asked))
                {
                    return ApiResults.Invalid("action", $"action must be {JsonErrors.Expected(typeof(UserAction))}.");
                }

                if (await admin.FindAsync(clientId, id, cancellationToken) is null)
                {
                    return WebhookNotFound(clientId, id);
                }

                var result = await actions.SendTestAsync(id, action ?? UserAction.None, cancellationToken);
                return TypedResults.Ok(TestSendResponse.From(result));
            })
            .WithName("SendTestWebhook").WithSummary("Send a test event now")
            .WithDescription("Renders the webhook for a sample user and the given action (Created, Updated, Deleted, LoggedIn or LoggedOut; default: its first action), sends it once, enabled or not, and returns the receiver's answer. Recorded as a delivery of event type webhook.test.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:int}/rotate-secret", async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> (
                WebhookAdministration admin, CurrentActor actor, string clientId, int id) =>
            {
                if (await admin.FindAsync(clientId, id) is null
                    || await admin.RotateSigningSecretAsync(id, await actor.GetAsync()) is not { } secret)
                {
                    return WebhookNotFound(clientId, id);
                }

                var after = await admin.FindAsync(clientId, id);
                return TypedResults.Ok(new RotatedSecretResponse(secret, after?.PreviousSigningSecretExpiresAt));
            })
            .WithMetadata(CarriesSecret.Instance)
            .WithName("RotateWebhookSecret").WithSummary("Generate a new signing secret")
            .WithDescription("Returns the new whsec_ secret — its only appearance; store it. The replaced secret keeps signing (a second webhook-signature entry) for 24 hours.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapSetEnabled(RouteGroupBuilder webhooks, string verb, bool enabled) =>
        webhooks.MapPost("/{id:int}/" + verb, async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> (
                WebhookAdministration admin, CurrentActor actor, string clientId, int id) =>
            {
                if (await admin.FindAsync(clientId, id) is null || !await admin.SetEnabledAsync(id, enabled, await actor.GetAsync()))
                {
                    return WebhookNotFound(clientId, id);
                }

                var webhook = (await admin.FindAsync(clientId, id))!;
                return TypedResults.Ok(WebhookResponse.From(webhook, webhook.Client!.ClientId));
            })
            .WithName(enabled ? "EnableWebhook" : "DisableWebhook").WithSummary(enabled ? "Enable a webhook" : "Disable a webhook")
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static string Tag(Webhook webhook) => EntityTags.Of(webhook.Version, webhook.CreatedAt);

    private static string What(string clientId, int id) => UiText.Format("Webhook {0} of client ID {1}", id, clientId);

    private static ProblemHttpResult ClientNotFound(string clientId) => ApiResults.NotFound(UiText.Format("Client ID {0}", clientId));

    private static ProblemHttpResult WebhookNotFound(string clientId, int id) => ApiResults.NotFound(What(clientId, id));
}
