using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>Outbox operations shared by the pages that delete webhooks or clients and by the cancelling of paused deliveries.</summary>
public static class PendingDeliveries
{
    /// <summary>
    /// Marks the pending deliveries matching <paramref name="predicate"/> Cancelled, recording <paramref name="reason"/> as
    /// their last error (by default <see cref="MessageCodes.WebhookDeleted"/>), as <see cref="Delivery.Cancel"/> does one; returns how many.
    /// </summary>
    public static Task<int> CancelPendingAsync(
        this IQueryable<Delivery> deliveries, Expression<Func<Delivery, bool>> predicate, TimeProvider time, CodedMessage? reason = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var why = reason ?? new CodedMessage(MessageCodes.WebhookDeleted);
        return deliveries.Where(d => d.Status == DeliveryStatus.Pending).Where(predicate)
            .ExecuteUpdateAsync(s => Delivery.SetCancelled(s, why, now));
    }
}
