using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>The delivery endpoints, <c>/api/v1/deliveries</c>.</summary>
internal static class DeliveriesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var deliveries = api.MapGroup("/deliveries").WithTags("Deliveries");

        deliveries.MapGet("/", async Task<Results<Ok<PagedList<DeliverySummary>>, ValidationProblem>> (
                IDbContextFactory<PortalDbContext> dbFactory, string? status, string? client, string? webhook, string? action, string? from, string? to,
                int? page, int? pageSize, CancellationToken cancellationToken) =>
            {
                var filter = DeliveryFilter.Parse(status, client, webhook, action, from, to);
                // The page ignores a filter it cannot read (an old link still opens); an API caller is told instead.
                var errors = Security.FieldErrors.Of(
                    ("status", Unread(status, filter.Status) ? ["Status must be Pending, Succeeded, Failed or Cancelled."] : []),
                    ("action", Unread(action, filter.Action) ? ["Action must be Created, Updated, Deleted, LoggedIn or LoggedOut."] : []),
                    ("from", Unread(from, filter.From) ? ["From must be a date, yyyy-MM-dd."] : []),
                    ("to", Unread(to, filter.To) ? ["To must be a date, yyyy-MM-dd."] : []));
                if (errors.Count > 0)
                {
                    return ApiResults.Invalid(errors);
                }

                var paging = Paging.Of(page, pageSize);
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var query = filter.Apply(db.Deliveries.AsNoTracking());
                var total = await query.CountAsync(cancellationToken);
                var items = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
                    .Skip(paging.Index * paging.Size).Take(paging.Size).ToListAsync(cancellationToken);
                return TypedResults.Ok(paging.Result<DeliverySummary>([.. items.Select(DeliverySummary.From)], total));
            })
            .AddEndpointFilter(Paging.Validate)
            .WithName("ListDeliveries").WithSummary("List deliveries, newest first")
            .WithDescription("Filters as on the Deliveries page: status (Pending, Succeeded, Failed, Cancelled), client (exact Client ID), " +
                "webhook (part of its name), action (Created … LoggedOut), from and to (UTC days, yyyy-MM-dd, inclusive). Paged like every list.")
            .ProducesValidationProblem();

        deliveries.MapGet("/{id:guid}", async Task<Results<Ok<DeliveryDetail>, ProblemHttpResult>> (
                IDbContextFactory<PortalDbContext> dbFactory, Guid id, CancellationToken cancellationToken) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var delivery = await db.Deliveries.AsNoTracking().Include(d => d.Attempts).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
                if (delivery is null)
                {
                    return NotFound(id);
                }

                return TypedResults.Ok(new DeliveryDetail(DeliverySummary.From(delivery), delivery.MessageId, delivery.Body,
                    [.. delivery.Headers.Select(h => h.Secret ? h with { Value = WebhookPreview.Masked } : h)],
                    [.. delivery.Attempts.OrderBy(a => a.Number).Select(a =>
                        new AttemptResponse(a.Number, a.StartedAt, a.DurationMs, a.StatusCode, a.Succeeded, a.ResponseExcerpt, a.Error))]));
            })
            .WithName("GetDelivery").WithSummary("Get a delivery with its request and attempts")
            .ProducesProblem(StatusCodes.Status404NotFound);

        deliveries.MapPost("/{id:guid}/redeliver", (DeliveryActions actions, IDbContextFactory<PortalDbContext> dbFactory, Guid id) =>
                ActAsync(dbFactory, id, () => actions.RedeliverAsync(id), "Only a finished delivery whose webhook still exists can be redelivered."))
            .WithName("RedeliverDelivery").WithSummary("Send a finished delivery again")
            .WithDescription("The same request and webhook-id, as a new attempt. 409 while it is Pending or when its webhook was deleted.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        deliveries.MapPost("/{id:guid}/retry", (DeliveryActions actions, IDbContextFactory<PortalDbContext> dbFactory, Guid id) =>
                ActAsync(dbFactory, id, () => actions.RetryNowAsync(id), "Only a Pending delivery that is not being sent right now can be retried now."))
            .WithName("RetryDeliveryNow").WithSummary("Send a pending delivery now instead of at its scheduled time")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ActAsync(IDbContextFactory<PortalDbContext> dbFactory, Guid id, Func<Task<bool>> act, string refused)
    {
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            if (!await db.Deliveries.AnyAsync(d => d.Id == id))
            {
                return NotFound(id);
            }
        }

        return await act() ? TypedResults.Accepted($"/api/v1/deliveries/{id}") : ApiResults.Conflict(refused);
    }

    private static bool Unread<T>(string? given, T? parsed) where T : struct => !string.IsNullOrWhiteSpace(given) && parsed is null;

    private static ProblemHttpResult NotFound(Guid id) => ApiResults.NotFound($"Delivery {id}");
}
