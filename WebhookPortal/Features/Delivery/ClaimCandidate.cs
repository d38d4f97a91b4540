namespace WebhookPortal.Features.Delivery;

/// <summary>A due delivery as the claim query reads it.</summary>
internal sealed class ClaimCandidate
{
    public Guid Id { get; init; }
    public int? WebhookId { get; init; }
    public DateTime NextAttemptAt { get; init; }
}
