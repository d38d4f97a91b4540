namespace WebhookPortal.Features.Webhooks;

/// <summary>What <c>POST …/webhooks/{id}/recover</c> reads.</summary>
public sealed class RecoverRequest
{
    /// <summary>
    /// ISO 8601 date and time, e.g. <c>2026-12-01T00:00:00Z</c>; without an offset it is read as UTC. Deliveries that
    /// finally failed at or after it are sent again. Required; not in the future.
    /// </summary>
    public string? Since { get; set; }
}
