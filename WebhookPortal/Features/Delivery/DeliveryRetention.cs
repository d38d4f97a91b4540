using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Purges finished deliveries once a day: succeeded ones after <see cref="DeliveryOptions.KeepSucceeded"/>,
/// failed and cancelled ones after <see cref="DeliveryOptions.KeepFailed"/>. Pending deliveries are never purged.
/// Instances sharing a PostgreSQL database take turns through an advisory lock; one that finds it taken skips its turn.
/// </summary>
public sealed class DeliveryRetention(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<DeliveryRetention> logger)
    : BackgroundService
{
    /// <summary>The PostgreSQL advisory lock key held while purging (a fixed number no other lock uses).</summary>
    internal const long PurgeLock = 0x5765_6268_6F6F_6B52; // "WebhookR"

    /// <summary>
    /// Deletes what is past its retention at <paramref name="now"/> (UTC), attempts included, and the rate-limit permits
    /// (<see cref="RatePermit"/>) that count nothing any more; returns how many deliveries. On PostgreSQL only one instance
    /// purges at a time: while another holds the purge lock this returns null at once without deleting anything.
    /// </summary>
    public async Task<int?> PurgeAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        var succeededBefore = now - options.Value.KeepSucceeded;
        var failedBefore = now - options.Value.KeepFailed;
        var nowMs = new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = db.Database.IsPostgreSql() ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        // Held until the transaction ends, or the connection does: instances whose daily timers meet skip rather than
        // delete the same rows twice.
        if (transaction is not null
            && !(await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({PurgeLock}) AS \"Value\"").ToListAsync(cancellationToken)).Single())
        {
            logger.LogInformation("Another instance is purging old deliveries; this one skips");
            return null;
        }

        var purged = await db.Deliveries
            .Where(d => (d.Status == DeliveryStatus.Succeeded && d.CompletedAt < succeededBefore)
                || ((d.Status == DeliveryStatus.Failed || d.Status == DeliveryStatus.Cancelled) && d.CompletedAt < failedBefore))
            .ExecuteDeleteAsync(cancellationToken);
        await db.RatePermits.Where(p => p.ExpiresAt < nowMs).ExecuteDeleteAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        if (purged > 0)
        {
            logger.LogInformation("Purged {Count} finished deliveries past their retention", purged);
        }

        return purged;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Start-up is busy enough (migrations, a backlog of deliveries); the first purge waits a little.
        try
        {
            await Task.Delay(options.Value.PurgeStartDelay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
        do
        {
            try
            {
                await PurgeAsync(time.GetUtcNow().UtcDateTime, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Purging old deliveries failed; trying again tomorrow");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
