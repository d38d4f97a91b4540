using System.Collections.Concurrent;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The plain values of stored secrets (robot secret, signing secrets, secret custom headers) for <see cref="WebhookSender"/>,
/// decrypted by <see cref="SecretProtector"/> once per stored value instead of once per attempt, with a signing secret's
/// decoded HMAC key beside it. Keyed by the stored (encrypted) value: a changed secret is a new ciphertext and so a new
/// entry, used at once; nothing needs invalidating. At most <see cref="Capacity"/> entries, then the cache starts over.
/// </summary>
public sealed class DecryptedSecrets(SecretProtector protector)
{
    /// <summary>The most stored values kept; beyond it every entry is dropped and decrypted again when next used.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, Secret> cache = new(StringComparer.Ordinal);
    private int added;

    /// <summary>The plain value of <paramref name="stored"/>; null stays null.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The keys that encrypted it are gone (never cached).</exception>
    public string? Unprotect(string? stored) => stored is null ? null : Get(stored).Plain;

    /// <summary>
    /// The plain value of the stored signing secret <paramref name="stored"/> and its HMAC key (the Base64 after <c>whsec_</c>,
    /// 24 to 64 bytes), or a null key when the value is not a valid signing secret; null when <paramref name="stored"/> is null.
    /// The key is shared: never write to it.
    /// </summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The keys that encrypted it are gone (never cached).</exception>
    public Secret? Signing(string? stored) => stored is null ? null : Get(stored);

    private Secret Get(string stored)
    {
        if (cache.TryGetValue(stored, out var found))
        {
            return found;
        }

        var plain = protector.Unprotect(stored)!;
        var secret = new Secret(plain, StandardWebhooks.TryDecode(plain, out var key) ? key : null);
        // Counted approximately (racing adds may pass the bound by a few): the point is that memory stays bounded.
        if (Interlocked.Increment(ref added) > Capacity)
        {
            cache.Clear();
            Interlocked.Exchange(ref added, 1);
        }

        cache[stored] = secret;
        return secret;
    }

    /// <summary>A decrypted secret: its plain text and, when it is a valid signing secret, the decoded HMAC key.</summary>
    public sealed record Secret(string Plain, byte[]? Key)
    {
        /// <summary>Never the secret itself: records print their members, and secrets are never logged.</summary>
        public override string ToString() => nameof(Secret);
    }
}
