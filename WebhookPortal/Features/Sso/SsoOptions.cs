namespace WebhookPortal.Features.Sso;

/// <summary>Settings under <c>Sso</c>: the OpenID Connect provider that signs users in to docked systems.</summary>
public sealed class SsoOptions
{
    public const string Section = "Sso";

    /// <summary>
    /// The issuer (SSO URL) written into tokens and discovery, e.g. <c>https://portal.example.com/</c>. Unset means the
    /// origin of each request, which is right unless a proxy changes the host the docked systems see.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// Refuse protocol requests over plain HTTP, as OpenID Connect expects of a provider. Null (unset) means on outside
    /// Development; behind a TLS-terminating proxy, turn on <c>Security:ForwardedHeaders</c> so its requests count as HTTPS.
    /// </summary>
    public bool? RequireHttps { get; set; }

    /// <summary>A PKCS#12 (.pfx) file whose RSA key signs tokens; unset means a key generated once and kept in the database.</summary>
    public string? SigningCertificatePath { get; set; }

    /// <summary>The password of <see cref="SigningCertificatePath"/>, if it has one.</summary>
    public string? SigningCertificatePassword { get; set; }

    /// <summary>A PKCS#12 (.pfx) file whose RSA key encrypts codes and refresh tokens; unset means a key generated once and kept in the database.</summary>
    public string? EncryptionCertificatePath { get; set; }

    /// <summary>The password of <see cref="EncryptionCertificatePath"/>, if it has one.</summary>
    public string? EncryptionCertificatePassword { get; set; }

    /// <summary>How long an authorization code may be redeemed. Default 5 minutes.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an access token (and an ID token) is valid. Default 1 hour.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a refresh token is valid; each use returns a new one. Default 14 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Token requests one client ID may make per minute from one address before it gets 429 Too Many Requests. Default 60.</summary>
    public int TokenRequestsPerMinute { get; set; } = 60;
}
