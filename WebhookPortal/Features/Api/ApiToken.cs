namespace WebhookPortal.Features.Api;

/// <summary>
/// A personal API token of an administrator. Only the SHA-256 of the token is stored; the token itself
/// (<see cref="ApiTokens.Prefix"/> + 43 Base64url characters of 32 random bytes) is shown once, when created.
/// </summary>
public sealed class ApiToken
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }

    /// <summary>The owner; requests with the token act as this user.</summary>
    public string UserId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the whole token (UTF-8).</summary>
    public string Hash { get; set; } = "";

    /// <summary>The token's first characters (<c>wp_AbCd</c>), so its owner can tell tokens apart without the secret.</summary>
    public string Hint { get; set; } = "";

    /// <summary>UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When (UTC) the token stops working; null for never.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>When (UTC) it was last used, to the minute; null when never.</summary>
    public DateTime? LastUsedAt { get; set; }

    /// <summary>When (UTC) it was revoked; a revoked token never works again.</summary>
    public DateTime? RevokedAt { get; set; }
}

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
