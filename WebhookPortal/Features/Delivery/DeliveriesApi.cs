using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Delivery;

/// <summary>The delivery endpoints, <c>/api/v1/deliveries</c>.</summary>
internal static class DeliveriesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var deliveries = api.MapGroup("/deliveries").WithTags("Deliveries");

        deliveries.MapGet("/", async Task<Results<Ok<PagedList<DeliverySummary>>, ValidationProblem>> (
                DeliveryQueries queries, string? status, string? client, string? webhook, string? action, string? from, string? to,
                int? page, int? pageSize, CancellationToken cancellationToken) =>
            {
                var filter = DeliveryFilter.Parse(status, client, webhook, action, from, to);
                // The page ignores a filter it cannot read (an old link still opens); an API caller is told instead.
                var errors = Security.FieldErrors.Of(
                    ("status", Unread(status, filter.Status) ? ["Status must be Pending, Paused, Succeeded, Failed or Cancelled."] : []),
                    ("action", Unread(action, filter.Action) ? ["Action must be Created, Updated, Deleted, LoggedIn or LoggedOut."] : []),
                    ("from", Unread(from, filter.From) ? ["From must be a date, yyyy-MM-dd."] : []),
                    ("to", Unread(to, filter.To) ? ["To must be a date, yyyy-MM-dd."] : []),
                    ("from", filter.DateRangeProblem is { } range ? [range] : []));
                if (errors.Count > 0)
                {
                    return ApiResults.Invalid(errors);
                }

                var paging = Paging.Of(page, pageSize);
                var (items, total) = await queries.ListAsync(filter, paging.Index, paging.Size, cancellationToken: cancellationToken);
                return TypedResults.Ok(paging.Result(items, total));
            })
            .AddEndpointFilter(Paging.Validate)
            .WithName("ListDeliveries").WithSummary("List deliveries, newest first")
            .WithDescription("Filters as on the Deliveries page: status (Pending, Paused — pending while its webhook is disabled —, Succeeded, Failed, Cancelled), client (part of a Client ID), " +
                "webhook (part of its name), action (Created … LoggedOut), from and to (UTC days, yyyy-MM-dd, inclusive; from after to is a 400). Paged like every list.")
            .ProducesValidationProblem();

        deliveries.MapGet("/{id:guid}", async Task<Results<Ok<DeliveryDetail>, ProblemHttpResult>> (
                DeliveryQueries queries, Guid id, CancellationToken cancellationToken) =>
                await queries.FindAsync(id, cancellationToken) is { } delivery ? TypedResults.Ok(DeliveryDetail.From(delivery)) : NotFound(id))
            .WithName("GetDelivery").WithSummary("Get a delivery with its request and attempts")
            .ProducesProblem(StatusCodes.Status404NotFound);

        deliveries.MapPost("/{id:guid}/redeliver", (DeliveryActions actions, DeliveryQueries queries, Guid id) =>
                ActAsync(queries, id, () => actions.RedeliverAsync(id), "Only a finished delivery whose webhook still exists can be redelivered."))
            .WithName("RedeliverDelivery").WithSummary("Send a finished delivery again")
            .WithDescription("The same request and webhook-id, as a new attempt; answers with the delivery. 409 while it is Pending or when its webhook " +
                "was deleted. While its webhook is disabled it is queued but answered with status Paused: it is sent once the webhook is enabled.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        deliveries.MapPost("/{id:guid}/retry", (DeliveryActions actions, DeliveryQueries queries, Guid id) =>
                ActAsync(queries, id, () => actions.RetryNowAsync(id), "Only a Pending delivery that is not being sent right now can be retried now."))
            .WithName("RetryDeliveryNow").WithSummary("Send a pending delivery now instead of at its scheduled time")
            .WithDescription("Answers with the delivery. While its webhook is disabled the delivery stays Paused (and is answered so) until the webhook is enabled.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        deliveries.MapPost("/{id:guid}/cancel", async Task<Results<Ok<DeliverySummary>, ProblemHttpResult>> (
                DeliveryActions actions, DeliveryQueries queries, CurrentActor actor, Guid id) =>
            {
                if (!await queries.ExistsAsync(id))
                {
                    return NotFound(id);
                }

                return await actions.CancelAsync(id, await actor.GetAsync()) && await queries.SummaryAsync(id) is { } cancelled
                    ? TypedResults.Ok(cancelled)
                    : ApiResults.Conflict("Only a Paused delivery (pending while its webhook is disabled) can be cancelled.");
            })
            .WithName("CancelDelivery").WithSummary("Cancel a paused delivery")
            .WithDescription("A delivery waiting while its webhook is disabled ends Cancelled, recording who cancelled it. 409 for any other state.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    // Accepted with the delivery as it stands now, so a caller sees Paused when the webhook is disabled.
    private static async Task<Results<Accepted<DeliverySummary>, ProblemHttpResult>> ActAsync(DeliveryQueries queries, Guid id, Func<Task<bool>> act, string refused)
    {
        if (!await queries.ExistsAsync(id))
        {
            return NotFound(id);
        }

        if (!await act())
        {
            return ApiResults.Conflict(refused);
        }

        return await queries.SummaryAsync(id) is { } queued ? TypedResults.Accepted($"/api/v1/deliveries/{id}", queued) : NotFound(id);
    }

    private static bool Unread<T>(string? given, T? parsed) where T : struct => !string.IsNullOrWhiteSpace(given) && parsed is null;

    private static ProblemHttpResult NotFound(Guid id) => ApiResults.NotFound(UiText.Format("Delivery {0}", id));
}
