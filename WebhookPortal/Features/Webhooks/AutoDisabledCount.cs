namespace WebhookPortal.Features.Webhooks;

/// <summary>How many of client <paramref name="ClientId"/>'s webhooks the system disabled (410 Gone, or failing too long).</summary>
public sealed record AutoDisabledCount(string ClientId, int Count);
