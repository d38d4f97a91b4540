using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Health;

/// <summary>Healthy when the database opens and its outbox table answers a query.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // A real table, not SELECT 1: an empty or unmigrated file opens fine but cannot hold deliveries.
            await db.Deliveries.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers queries.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be queried.", ex);
        }
    }
}
