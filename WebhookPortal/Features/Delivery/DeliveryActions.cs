using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// An administrator's manual actions on deliveries (Retry now, Redeliver, recovering a webhook's failed ones, Send test,
/// cancelling paused ones); shared by the
/// pages and the API.
/// </summary>
public sealed class DeliveryActions(
    IDbContextFactory<PortalDbContext> dbFactory,
    DeliveryStore store,
    DeliverySignal signal,
    DeliveryFeed feed,
    TimeProvider time,
    WebhookSender sender,
    DeliveryMetrics metrics,
    ILogger<DeliveryActions> logger)
{
    /// <summary>The event type of a delivery made by <see cref="SendTestAsync"/>, sent as <c>X-Webhook-Event</c>.</summary>
    public const string TestEventType = "webhook.test";

    /// <summary>
    /// Sends a pending delivery now instead of at its scheduled time. Returns false when the delivery is not Pending
    /// (it finished or was cancelled meanwhile) or does not exist. A paused delivery (its webhook disabled) is due now but
    /// stays <see cref="DeliveryStatus.Paused"/> until its webhook is enabled; callers ask or tell first.
    /// </summary>
    public Task<bool> RetryNowAsync(Guid id) =>
        UpdateAsync(id, d => d.Status == DeliveryStatus.Pending);

    /// <summary>
    /// Sends a finished delivery (Succeeded, Failed or Cancelled) once more: the same request and the same
    /// <c>webhook-id</c>, as a new attempt. Returns false when it is still Pending, does not exist, or its webhook was
    /// deleted (a request to a webhook that no longer exists would be sent with no way to stop it). A disabled webhook's
    /// delivery becomes <see cref="DeliveryStatus.Paused"/>, not sent, until the webhook is enabled.
    /// </summary>
    public Task<bool> RedeliverAsync(Guid id) =>
        UpdateAsync(id, d => d.Status != DeliveryStatus.Pending && d.WebhookId != null);

    /// <summary>
    /// Cancels delivery <paramref name="id"/> if it is <see cref="DeliveryStatus.Paused"/>, recording "Cancelled by
    /// {user}: the webhook was disabled." (in the actor's language) and an audit entry. Returns false when it is not paused
    /// (its webhook was enabled, it finished meanwhile) or does not exist. An attempt already in flight is recorded as history.
    /// </summary>
    public async Task<bool> CancelAsync(Guid id, AuditActor actor) =>
        await CancelPausedWhereAsync(d => d.Id == id, actor, _ => new CodedMessage(MessageCodes.AuditCancelledPausedOne, id.ToString())) > 0;

    /// <summary>
    /// Cancels every <see cref="DeliveryStatus.Paused"/> delivery of webhook <paramref name="webhookId"/> at once, as
    /// <see cref="CancelAsync"/> does one; returns how many (0 when it has none or is enabled), or null when the webhook does not exist.
    /// </summary>
    public async Task<int?> CancelPausedAsync(int webhookId, AuditActor actor)
    {
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            if (!await db.Webhooks.AnyAsync(w => w.Id == webhookId))
            {
                return null;
            }
        }

        return await CancelPausedWhereAsync(d => d.WebhookId == webhookId, actor, count => new CodedMessage(MessageCodes.AuditCancelledPaused, count.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// How many deliveries <see cref="RecoverAsync"/> would send again now for webhook <paramref name="webhookId"/> and
    /// <paramref name="since"/> (UTC); 0 for a webhook that does not exist.
    /// </summary>
    public async Task<int> CountRecoverableAsync(int webhookId, DateTime since, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.Where(Recoverable(webhookId, since, time.GetUtcNow().UtcDateTime)).CountAsync(cancellationToken);
    }

    /// <summary>
    /// Redelivers, as <see cref="RedeliverAsync"/> does one, every delivery of webhook <paramref name="webhookId"/> that is
    /// Failed and finished at or after <paramref name="since"/> (UTC; any past time), in one update with its audit entry
    /// (<c>webhook.recovered</c>). Each keeps its id, so the receiver sees the same <c>webhook-id</c>. Repeating is safe:
    /// a delivery queued again is Pending, so a second call right after finds none. A disabled webhook's deliveries wait
    /// as <see cref="DeliveryStatus.Paused"/> until it is enabled. Returns how many were queued (0 is audited too, as the
    /// caller asked), or null when the webhook does not exist.
    /// </summary>
    public async Task<int?> RecoverAsync(int webhookId, DateTime since, AuditActor actor)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var webhook = await db.Webhooks.Where(w => w.Id == webhookId).Select(w => new { w.Name, w.Client!.ClientId }).FirstOrDefaultAsync();
        if (webhook is null)
        {
            return null;
        }

        var count = await db.Deliveries
            .Where(Recoverable(webhookId, since, now))
            .ExecuteUpdateAsync(s => Delivery.SetRequeued(s, now));
        AuditTrail.Add(db, actor, now, "webhook.recovered", $"webhook {webhook.Name} (client {webhook.ClientId})",
            new CodedMessage(MessageCodes.AuditRecovered, count.ToString(CultureInfo.InvariantCulture),
                since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        logger.LogInformation("{Actor} requeued {Count} failed deliveries of webhook {WebhookId} since {Since:O}", actor.UserName, count, webhookId, since);
        if (count > 0)
        {
            signal.Wake();
            feed.Publish();
        }

        return count;
    }

    // Stored Failed (never Pending, so a delivery is queued once however often this runs), finished since the time, and not
    // being sent right now (a lease outlives its attempt only when its owner died).
    private static System.Linq.Expressions.Expression<Func<Delivery, bool>> Recoverable(int webhookId, DateTime since, DateTime now) =>
        d => d.WebhookId == webhookId && d.Status == DeliveryStatus.Failed && d.CompletedAt != null && d.CompletedAt >= since
            && (d.LeaseUntil == null || d.LeaseUntil < now);

    // One transaction for the rows and the audit entry; the entry names the webhook. The reason is stored as a code, so
    // each reader sees it in their own language.
    private async Task<int> CancelPausedWhereAsync(System.Linq.Expressions.Expression<Func<Delivery, bool>> which, AuditActor actor, Func<int, CodedMessage> details)
    {
        var reason = new CodedMessage(MessageCodes.CancelledPaused, actor.UserName);
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var paused = db.Deliveries.Where(which).Where(PausedDeliveries.IsPaused);
        var webhook = await paused.Select(d => new { d.Webhook!.Id, d.Webhook.Name, d.Webhook.Client!.ClientId }).FirstOrDefaultAsync();
        var count = await paused.CancelPendingAsync(_ => true, time, reason);
        if (webhook is null || count == 0)
        {
            return 0;
        }

        AuditTrail.Add(db, actor, time.GetUtcNow().UtcDateTime, "webhook.paused_cancelled", $"webhook {webhook.Name} (client {webhook.ClientId})", details(count));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        logger.LogInformation("{Actor} cancelled {Count} paused deliveries of webhook {WebhookId}", actor.UserName, count, webhook.Id);
        feed.Publish();
        return count;
    }

    /// <summary>
    /// Renders webhook <paramref name="webhookId"/> for a sample <paramref name="action"/> event about
    /// <see cref="TemplateSamples.TestUser"/> and sends it now, enabled or not, through <see cref="WebhookSender"/>. The request is
    /// recorded as a delivery of event type <see cref="TestEventType"/> (so it shows in the log and can be redelivered) that
    /// ends Succeeded or Failed after this one attempt; it is not retried. Never throws: a dead receiver, a template error
    /// or a deleted webhook come back in the result.
    /// </summary>
    /// <param name="action">One action; anything else sends the webhook's first action (or Create).</param>
    public async Task<TestSendResult> SendTestAsync(int webhookId, UserAction action, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendTestCoreAsync(webhookId, action, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return TestSendResult.NotSent(UiText.Get("The test was cancelled."));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Sending a test of webhook {WebhookId} failed unexpectedly", webhookId);
            return TestSendResult.NotSent(UiText.Format("The test could not be sent: {0}", ex.Message));
        }
    }

    private async Task<TestSendResult> SendTestCoreAsync(int webhookId, UserAction action, CancellationToken cancellationToken)
    {
        Webhook? webhook;
        string clientId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            webhook = await db.Webhooks.AsNoTracking().Include(w => w.Client).FirstOrDefaultAsync(w => w.Id == webhookId, cancellationToken);
            if (webhook is null)
            {
                return TestSendResult.NotSent(UiText.Get("The webhook does not exist (it may have been deleted)."));
            }

            clientId = webhook.Client!.ClientId;
            webhook.Client = null;
        }

        if (!UserActions.All.Contains(action))
        {
            action = UserActions.All.FirstOrDefault(a => webhook.Actions.HasFlag(a), UserAction.Created);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var sample = TemplateSamples.For(action, now);
        var delivery = Delivery.Render(webhook, clientId, sample, TestEventType, now);
        // Leased to this call, so the dispatcher leaves it alone while it is sent here; if the process dies meanwhile,
        // the lease runs out and the dispatcher sends it, as it would any delivery.
        var owner = "send-test-" + Guid.NewGuid().ToString("N");
        await store.AddLeasedAsync(delivery, owner, cancellationToken);

        feed.Publish();
        if (delivery.Status == DeliveryStatus.Failed)
        {
            return new TestSendResult(delivery.Id, DeliveryStatus.Failed, null, null, MessageText.Render(delivery.LastError), TimeSpan.Zero);
        }

        // The webhook rides along for its signing secret, as the dispatcher's claim includes it.
        delivery.Webhook = webhook;
        var outcome = await sender.SendAsync(delivery, cancellationToken);

        // A test is sent once; Redeliver on its page sends it again. Not the caller's token: an answer that arrived is
        // recorded even if the caller stopped waiting for it.
        var recorded = await store.RecordAsync(owner, [new FinishedAttempt(delivery, outcome, Once: true)]);
        var status = recorded.Count == 1 ? recorded[0].Status : outcome.Succeeded ? DeliveryStatus.Succeeded : DeliveryStatus.Failed;
        metrics.RecordAttempt(status == DeliveryStatus.Succeeded ? DeliveryMetrics.Succeeded : DeliveryMetrics.Failed, outcome.Duration);
        feed.Publish();
        logger.LogInformation("Test delivery {DeliveryId} to webhook {WebhookId}: {Status}, {Answer} in {DurationMs} ms",
            delivery.Id, webhook.Id, status, outcome.StatusCode is { } code ? $"HTTP {code}" : "no response", (int)outcome.Duration.TotalMilliseconds);
        return new TestSendResult(delivery.Id, status, outcome.StatusCode, outcome.ResponseExcerpt, MessageText.Render(outcome.Error), outcome.Duration);
    }

    private async Task<bool> UpdateAsync(Guid id, System.Linq.Expressions.Expression<Func<Delivery, bool>> allowed)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        // A delivery being sent right now keeps its lease; it is not touched until that attempt is recorded.
        var changed = await db.Deliveries
            .Where(d => d.Id == id && (d.LeaseUntil == null || d.LeaseUntil < now))
            .Where(allowed)
            .ExecuteUpdateAsync(s => Delivery.SetRequeued(s, now));
        if (changed == 0)
        {
            return false;
        }

        signal.Wake();
        feed.Publish();
        return true;
    }
}
