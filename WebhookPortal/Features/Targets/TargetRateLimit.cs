namespace WebhookPortal.Features.Targets;

/// <summary>A platform's published sending rate: at most <paramref name="Permits"/> messages in any <paramref name="Window"/>, per webhook.</summary>
/// <param name="Permits">Messages allowed per window.</param>
/// <param name="Window">The window's length.</param>
public sealed record TargetRateLimit(int Permits, TimeSpan Window);
