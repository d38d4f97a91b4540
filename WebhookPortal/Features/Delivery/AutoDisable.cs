using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Turns off a webhook that has only failed for a long span (by default 24 h and at least 10 attempts), so a
/// dead receiver stops costing attempts; its page shows why, and the Enabled switch turns it back on.
/// </summary>
public static class AutoDisable
{
    /// <summary>
    /// Disables webhook <paramref name="webhookId"/> when every attempt since its last success (or ever) failed, there are
    /// at least <see cref="DeliveryOptions.AutoDisableAttempts"/> of them, and the first is older than
    /// <see cref="DeliveryOptions.AutoDisableAfter"/>. Returns true when it disabled the webhook just now.
    /// </summary>
    public static async Task<bool> CheckAsync(PortalDbContext db, int webhookId, DeliveryOptions options, DateTime now, CancellationToken cancellationToken = default)
    {
        if (options.AutoDisableAttempts <= 0)
        {
            return false;
        }

        var attempts = db.DeliveryAttempts.Where(a => a.Delivery!.WebhookId == webhookId);
        var lastSuccess = await attempts.Where(a => a.Succeeded).MaxAsync(a => (DateTime?)a.StartedAt, cancellationToken);
        var failures = attempts.Where(a => !a.Succeeded && (lastSuccess == null || a.StartedAt > lastSuccess));
        var count = await failures.CountAsync(cancellationToken);
        if (count < options.AutoDisableAttempts)
        {
            return false;
        }

        var firstFailure = await failures.MinAsync(a => a.StartedAt, cancellationToken);
        if (now - firstFailure < options.AutoDisableAfter)
        {
            return false;
        }

        var why = new CodedMessage(MessageCodes.Failing, count.ToString(CultureInfo.InvariantCulture), Minutes(firstFailure));
        return await DisableAsync(db, webhookId, why, now, cancellationToken);
    }

    /// <summary>
    /// Disables an enabled webhook, recording "Disabled on {now}: {why}" (<see cref="MessageCodes.DisabledOn"/>, shown in
    /// the reader's language) as its reason and as the details of one <c>webhook.disabled</c> audit entry by the system;
    /// false when it was already off or gone. Saves the context.
    /// </summary>
    public static async Task<bool> DisableAsync(PortalDbContext db, int webhookId, CodedMessage why, DateTime now, CancellationToken cancellationToken = default)
    {
        var reason = new CodedMessage(MessageCodes.DisabledOn, Minutes(now), why);
        var serialized = reason.Serialize();
        // "AND Enabled" decides who disables: of two instances failing the webhook at once, the second waits for the first's
        // row lock (or SQLite's write lock), then finds it off, and writes neither the reason nor an audit entry again.
        if (await db.Webhooks.Where(w => w.Id == webhookId && w.Enabled).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.Enabled, false)
            .SetProperty(w => w.DisabledReason, serialized)
            .SetProperty(w => w.UpdatedAt, now)
            .SetProperty(w => w.Version, w => w.Version + 1), cancellationToken) == 0)
        {
            return false;
        }

        var webhook = await db.Webhooks.AsNoTracking().Where(w => w.Id == webhookId).Select(w => new { w.Name, w.Client!.ClientId }).SingleAsync(cancellationToken);
        AuditTrail.Add(db, AuditActor.System, now, "webhook.disabled", $"webhook {webhook.Name} (client {webhook.ClientId})", reason);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static string Minutes(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
