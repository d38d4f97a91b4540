using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>An administrator's manual actions on one delivery (DESIGN §4); shared by the delivery page and, later, the API.</summary>
public sealed class DeliveryActions(IDbContextFactory<PortalDbContext> dbFactory, DeliverySignal signal, DeliveryFeed feed, TimeProvider time)
{
    /// <summary>
    /// Sends a pending delivery now instead of at its scheduled time. Returns false when the delivery is not Pending
    /// (it finished or was cancelled meanwhile) or does not exist.
    /// </summary>
    public Task<bool> RetryNowAsync(Guid id) =>
        UpdateAsync(id, d => d.Status == DeliveryStatus.Pending);

    /// <summary>
    /// Sends a finished delivery (Succeeded, Failed or Cancelled) once more: the same request and the same
    /// <c>webhook-id</c>, as a new attempt. Returns false when it is still Pending or does not exist.
    /// </summary>
    public Task<bool> RedeliverAsync(Guid id) =>
        UpdateAsync(id, d => d.Status != DeliveryStatus.Pending);

    private async Task<bool> UpdateAsync(Guid id, System.Linq.Expressions.Expression<Func<Delivery, bool>> allowed)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        // A delivery being sent right now keeps its lease; it is not touched until that attempt is recorded.
        var changed = await db.Deliveries
            .Where(d => d.Id == id && (d.LeaseUntil == null || d.LeaseUntil < now))
            .Where(allowed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.CompletedAt, (DateTime?)null));
        if (changed == 0)
        {
            return false;
        }

        signal.Wake();
        feed.Publish();
        return true;
    }
}
