namespace WebhookPortal.Features.Delivery;

/// <summary>One HTTP exchange of a delivery.</summary>
public sealed class DeliveryAttempt
{
    /// <summary>Longest response excerpt kept, in characters.</summary>
    public const int ExcerptMaxLength = 4096;

    public long Id { get; set; }
    public Guid DeliveryId { get; set; }
    public Delivery? Delivery { get; set; }

    /// <summary>1 for the first attempt.</summary>
    public int Number { get; set; }
    public DateTime StartedAt { get; set; }
    public int DurationMs { get; set; }
    /// <summary>The HTTP status, or null when no response came (connection refused, timeout).</summary>
    public int? StatusCode { get; set; }
    public bool Succeeded { get; set; }
    public string? ResponseExcerpt { get; set; }
    /// <summary>Why it failed: a <see cref="Localization.CodedMessage"/> (older rows: English text); <see cref="Localization.MessageText"/> shows it.</summary>
    public string? Error { get; set; }
}
