using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace WebhookPortal.Features.Webhooks;

/// <summary>
/// Encrypts webhook secrets at rest with ASP.NET Core Data Protection: signing secrets, robot secrets and header
/// values marked secret are stored as <c>dp1:</c> + ciphertext and decrypted only to sign or send. Values without the prefix
/// (rows written before encryption) are read as they are.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    /// <summary>The prefix of an encrypted value.</summary>
    public const string Prefix = "dp1:";

    private readonly IDataProtector protector = provider.CreateProtector("WebhookPortal.WebhookSecrets.v1");

    /// <summary>True when <paramref name="value"/> is already encrypted.</summary>
    public static bool IsProtected(string? value) => value?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The stored form of <paramref name="plain"/>; null stays null, an already encrypted value stays as it is.</summary>
    public string? Protect(string? plain) => plain is null || IsProtected(plain) ? plain : Prefix + protector.Protect(plain);

    /// <summary>The plain value of a stored secret.</summary>
    /// <exception cref="CryptographicException">The keys that encrypted it are gone (the key folder was lost or replaced).</exception>
    public string? Unprotect(string? stored) => IsProtected(stored) ? protector.Unprotect(stored![Prefix.Length..]) : stored;

    /// <summary>Encrypts every secret of <paramref name="webhook"/> that is not encrypted yet; call before saving it.</summary>
    public void Seal(Webhook webhook)
    {
        webhook.SigningSecret = Protect(webhook.SigningSecret);
        webhook.PreviousSigningSecret = Protect(webhook.PreviousSigningSecret);
        webhook.RobotSecret = Protect(webhook.RobotSecret);
        webhook.Headers = [.. webhook.Headers.Select(h => h.Secret ? h with { Value = Protect(h.Value)! } : h)];
    }
}
