namespace WebhookPortal.Features.Api;

/// <summary>
/// Endpoint metadata: a GET that sends an <c>ETag</c>, or a PUT or DELETE that honours <c>If-Match</c> with 412 on a stale
/// tag (<see cref="EntityTags"/>); the OpenAPI document describes the header and the 412 for the endpoints that carry it.
/// </summary>
public sealed class ConditionalRequests
{
    /// <summary>The one instance to attach with <c>WithMetadata</c>.</summary>
    public static readonly ConditionalRequests Instance = new();

    private ConditionalRequests()
    {
    }
}
