namespace WebhookPortal.Features.Delivery;

/// <summary>One HTTP exchange of a delivery.</summary>
/// <param name="Number">1 for the first.</param>
/// <param name="StartedAt">UTC.</param>
/// <param name="DurationMs">Milliseconds.</param>
/// <param name="StatusCode">Null when no answer came.</param>
/// <param name="ResponseExcerpt">The first 4 KB of the answer.</param>
/// <param name="Error">Why it failed, in the request's language (<c>Accept-Language</c>); null on success.</param>
public sealed record AttemptResponse(int Number, DateTime StartedAt, int DurationMs, int? StatusCode, bool Succeeded, string? ResponseExcerpt, string? Error);
