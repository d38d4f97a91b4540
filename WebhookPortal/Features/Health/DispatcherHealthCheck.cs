using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Features.Health;

/// <summary>
/// Healthy while the delivery dispatcher's loop keeps beating: its last beat is at most
/// 2 × <see cref="DeliveryOptions.PollInterval"/> + <see cref="DeliveryOptions.HeartbeatGrace"/> old.
/// </summary>
public sealed class DispatcherHealthCheck(DispatcherHeartbeat heartbeat, TimeProvider time, IOptions<DeliveryOptions> options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = heartbeat.LastBeat;
        var age = time.GetUtcNow() - last;
        var limit = options.Value.HeartbeatStaleAfter;
        var data = new Dictionary<string, object>
        {
            ["lastBeat"] = last.UtcDateTime.ToString("O"),
            ["ageSeconds"] = Math.Round(Math.Max(0, age.TotalSeconds), 1),
            ["staleAfterSeconds"] = limit.TotalSeconds,
        };
        return Task.FromResult(age <= limit
            ? HealthCheckResult.Healthy("The dispatcher loop is running.", data)
            : HealthCheckResult.Unhealthy($"The dispatcher loop has not run for {age.TotalSeconds:0} s.", data: data));
    }
}
