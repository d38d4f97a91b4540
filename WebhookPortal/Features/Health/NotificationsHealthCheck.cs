using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Operations;

namespace WebhookPortal.Features.Health;

/// <summary>
/// On PostgreSQL: healthy while <see cref="PostgreSqlNotifications"/> listens for the other instances' notifications (data
/// <c>listenerProcessId</c>, the server process of its connection); degraded, not unhealthy, while it is down, since the
/// dispatcher still finds the others' work at <see cref="DeliveryOptions.PollInterval"/> and pages show it on reload.
/// </summary>
public sealed class NotificationsHealthCheck(PostgreSqlNotifications notifications, IOptions<DeliveryOptions> options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pid = notifications.ListenerProcessId;
        var data = new Dictionary<string, object>
        {
            ["listening"] = pid is not null,
            ["pollIntervalSeconds"] = options.Value.PollInterval.TotalSeconds,
        };
        if (pid is { } processId)
        {
            data["listenerProcessId"] = processId;
            return Task.FromResult(HealthCheckResult.Healthy("Listening for the other instances' notifications (LISTEN/NOTIFY).", data));
        }

        return Task.FromResult(HealthCheckResult.Degraded(
            "Not listening for the other instances' notifications; their work is found at the poll interval meanwhile.", data: data));
    }
}
