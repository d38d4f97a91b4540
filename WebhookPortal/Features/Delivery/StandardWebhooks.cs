using System.Buffers;
using System.Buffers.Text;
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

    private const string Version = "v1,";

    // Base64 of a 32-byte HMAC-SHA256.
    private const int SignatureLength = 44;

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

        var bodyBytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(body.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(body, bodyBytes);
            return Sign(key, messageId, timestamp, bodyBytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bodyBytes);
        }
    }

    /// <summary>
    /// The <c>v1,…</c> signature of one message whose body is already UTF-8 (<paramref name="body"/>, the bytes sent), with the
    /// decoded key (<see cref="TryDecode"/>). The same as <see cref="Sign(string, string, long, string)"/>, without its
    /// allocations but the returned string.
    /// </summary>
    /// <param name="timestamp">Unix seconds, the same value sent as <c>webhook-timestamp</c>.</param>
    public static string Sign(ReadOnlySpan<byte> key, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        // "{id}.{timestamp}." then the body, in one buffer: HMAC-SHA256 in one call needs the message contiguous.
        var length = Encoding.UTF8.GetMaxByteCount(messageId.Length) + 22 + body.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(messageId, buffer);
            buffer[written++] = (byte)'.';
            if (!Utf8Formatter.TryFormat(timestamp, buffer.AsSpan(written), out var digits))
            {
                throw new InvalidOperationException("A long always fits in 20 digits and a sign.");
            }

            written += digits;
            buffer[written++] = (byte)'.';
            body.CopyTo(buffer.AsSpan(written));
            written += body.Length;

            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, buffer.AsSpan(0, written), hash);
            return string.Create(Version.Length + SignatureLength, hash, static (chars, hash) =>
            {
                Version.CopyTo(chars);
                Convert.TryToBase64Chars(hash, chars[Version.Length..], out _);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The HMAC key of <paramref name="secret"/>: the bytes of the Base64 after the optional <c>whsec_</c>; false (and an empty
    /// key) when it is empty or not Base64 of 24 to 64 bytes.
    /// </summary>
    public static bool TryDecode(string? secret, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var encoded = secret.AsSpan(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? SecretPrefix.Length : 0);
        Span<byte> buffer = stackalloc byte[64];
        // More than 64 bytes do not fit, and are refused as before.
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var length) || length is < 24)
        {
            return false;
        }

        key = buffer[..length].ToArray();
        return true;
    }
}
