using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace WebhookPortal.Features.Delivery;

/// <summary>Outbox operations shared by the pages that delete webhooks or clients.</summary>
public static class PendingDeliveries
{
    /// <summary>Marks the pending deliveries matching <paramref name="predicate"/> Cancelled; returns how many.</summary>
    public static Task<int> CancelPendingAsync(this DbSet<Delivery> deliveries, Expression<Func<Delivery, bool>> predicate, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return deliveries.Where(d => d.Status == DeliveryStatus.Pending).Where(predicate).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Cancelled)
            .SetProperty(d => d.NextAttemptAt, (DateTime?)null)
            .SetProperty(d => d.CompletedAt, now)
            .SetProperty(d => d.LastError, "Cancelled: the webhook was deleted."));
    }
}
