using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Purges finished deliveries once a day: succeeded ones after <see cref="DeliveryOptions.KeepSucceeded"/>,
/// failed and cancelled ones after <see cref="DeliveryOptions.KeepFailed"/>. Pending deliveries are never purged.
/// </summary>
public sealed class DeliveryRetention(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<DeliveryRetention> logger)
    : BackgroundService
{
    /// <summary>Deletes what is past its retention at <paramref name="now"/> (UTC), attempts included; returns how many deliveries.</summary>
    public async Task<int> PurgeAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        var succeededBefore = now - options.Value.KeepSucceeded;
        var failedBefore = now - options.Value.KeepFailed;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purged = await db.Deliveries
            .Where(d => (d.Status == DeliveryStatus.Succeeded && d.CompletedAt < succeededBefore)
                || ((d.Status == DeliveryStatus.Failed || d.Status == DeliveryStatus.Cancelled) && d.CompletedAt < failedBefore))
            .ExecuteDeleteAsync(cancellationToken);
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
