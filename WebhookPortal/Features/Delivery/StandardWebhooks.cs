using System.Security.Cryptography;
using System.Text;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Signing per the Standard Webhooks specification (standardwebhooks.com): <c>webhook-signature: v1,&lt;base64&gt;</c>, the
/// Base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c> keyed with the secret's bytes; secrets are written
/// <c>whsec_</c> + Base64 of 24 random bytes, so receivers' Standard Webhooks and Svix libraries verify them as they are.
/// </summary>
public static class StandardWebhooks
{
    /// <summary>The prefix of a signing secret as shown to administrators.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new random signing secret, <c>whsec_</c> + Base64 of 24 bytes (192 bits, inside the spec's 24–64).</summary>
    public static string GenerateSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>True when <paramref name="secret"/> is <c>whsec_</c> (optional) followed by Base64 of 24 to 64 bytes.</summary>
    public static bool IsValidSecret(string? secret) => TryDecode(secret, out _);

    /// <summary>The <c>v1,…</c> signature of one message.</summary>
    /// <param name="timestamp">Unix seconds, the same value sent as <c>webhook-timestamp</c>.</param>
    /// <param name="body">The exact body sent; empty for GET.</param>
    /// <exception cref="FormatException">The secret is not a valid signing secret.</exception>
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        if (!TryDecode(secret, out var key))
        {
            throw new FormatException("The signing secret is not whsec_ followed by Base64 of 24 to 64 bytes.");
        }

        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    private static bool TryDecode(string? secret, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length is < 24 or > 64)
        {
            return false;
        }

        key = buffer[..length];
        return true;
    }
}
