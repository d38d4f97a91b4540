namespace WebhookPortal.Features.Api;

/// <summary>
/// The first response to a POST with an <c>Idempotency-Key</c>, replayed for a repeat of the key within
/// <see cref="IdempotencyFilter.Lifetime"/> (draft-ietf-httpapi-idempotency-key-header).
/// </summary>
public sealed class IdempotencyRecord
{
    public const int KeyMaxLength = 255;

    public long Id { get; set; }

    /// <summary>Whose key it is: <c>token:{id}</c> or <c>user:{id}</c>.</summary>
    public string Scope { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>Hex SHA-256 of method, path and body of the first request; a repeat with another fingerprint is refused.</summary>
    public string Fingerprint { get; set; } = "";

    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[] Body { get; set; } = [];

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>UTC; after this the key may be used for a new request.</summary>
    public DateTime ExpiresAt { get; set; }
}
