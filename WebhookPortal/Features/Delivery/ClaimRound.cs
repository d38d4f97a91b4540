namespace WebhookPortal.Features.Delivery;

/// <summary>What one claim of <see cref="DeliveryStore.ClaimRoundAsync"/> got.</summary>
/// <param name="Leased">The deliveries now leased to the claiming owner, each with its webhook's secrets.</param>
/// <param name="Lost">How many of the deliveries the claim chose were leased by another owner first.</param>
public sealed record ClaimRound(List<Delivery> Leased, int Lost);
