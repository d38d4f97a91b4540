namespace WebhookPortal.Features.Audit;

/// <summary>
/// One change an administrator (or a user, to their own account) made: who, when, from which address, what. Never holds a
/// secret's value, only that it changed.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Longest <see cref="Details"/> kept, in characters.</summary>
    public const int DetailsMaxLength = 1000;

    public long Id { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }

    /// <summary>The acting user's id; null for the system (start-up seeding, auto-disable).</summary>
    public string? ActorId { get; set; }

    /// <summary>The acting user's name at the time, or <c>system</c>.</summary>
    public string ActorName { get; set; } = "";

    /// <summary>The client address of the request or circuit that made the change; null when unknown.</summary>
    public string? IpAddress { get; set; }

    /// <summary>What was done, e.g. <c>user.created</c>, <c>webhook.updated</c>, <c>webhook.secret_rotated</c>, <c>client.deleted</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>What it was done to, readable: <c>user zhangwei</c>, <c>client wecom-alerts</c>, <c>webhook Alerts (client wecom-alerts)</c>.</summary>
    public string Subject { get; set; } = "";

    /// <summary>Which fields changed, or other context; never secret values.</summary>
    public string? Details { get; set; }
}
