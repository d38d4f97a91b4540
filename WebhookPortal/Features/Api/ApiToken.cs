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
