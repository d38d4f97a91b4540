using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// The sender's decrypted secrets: each stored value is decrypted by the real <see cref="SecretProtector"/> once, a changed
/// secret (a new ciphertext) is used at once. Decryptions are counted by a provider that wraps the real one.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DecryptedSecretsTests
{
    private const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly CountingProvider provider = new(new EphemeralDataProtectionProvider());
    private readonly SecretProtector protector;
    private readonly DecryptedSecrets secrets;

    public DecryptedSecretsTests()
    {
        protector = new SecretProtector(provider);
        secrets = new DecryptedSecrets(protector);
    }

    [Fact]
    public void A_stored_secret_is_decrypted_once_however_often_it_is_used()
    {
        var stored = protector.Protect("Bearer s3cr3t")!;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("Bearer s3cr3t", secrets.Unprotect(stored));
        }

        Assert.Equal(1, provider.Unprotected);
    }

    [Fact]
    public void A_changed_secret_is_used_at_once()
    {
        var first = protector.Protect("first-secret")!;
        Assert.Equal("first-secret", secrets.Unprotect(first));

        var second = protector.Protect("second-secret")!;

        Assert.Equal("second-secret", secrets.Unprotect(second));
        Assert.Equal("first-secret", secrets.Unprotect(first));
        Assert.Equal(2, provider.Unprotected);
    }

    [Fact]
    public void A_signing_secret_comes_with_its_decoded_key_and_an_invalid_one_without()
    {
        var valid = secrets.Signing(protector.Protect(SigningSecret))!;
        var invalid = secrets.Signing(protector.Protect("whsec_c2hvcnQ="))!;

        Assert.Equal(SigningSecret, valid.Plain);
        Assert.Equal(Convert.FromBase64String(SigningSecret["whsec_".Length..]), valid.Key);
        Assert.Equal("whsec_c2hvcnQ=", invalid.Plain);
        Assert.Null(invalid.Key);
        Assert.DoesNotContain("whsec", valid.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_values_stored_before_encryption_pass_through()
    {
        Assert.Null(secrets.Unprotect(null));
        Assert.Null(secrets.Signing(null));
        Assert.Equal("plain-legacy", secrets.Unprotect("plain-legacy"));
        Assert.Equal(0, provider.Unprotected);
    }

    [Fact]
    public void A_secret_whose_keys_are_gone_fails_every_time_and_is_not_kept()
    {
        var foreign = new SecretProtector(new EphemeralDataProtectionProvider()).Protect("elsewhere")!;

        Assert.ThrowsAny<CryptographicException>(() => secrets.Unprotect(foreign));
        Assert.ThrowsAny<CryptographicException>(() => secrets.Unprotect(foreign));
        Assert.Equal(2, provider.Unprotected);
    }

    [Fact]
    public void Past_its_capacity_the_cache_starts_over()
    {
        var first = protector.Protect("secret-0")!;
        secrets.Unprotect(first);
        for (var i = 1; i <= DecryptedSecrets.Capacity; i++)
        {
            secrets.Unprotect(protector.Protect($"secret-{i}"));
        }

        var before = provider.Unprotected;
        Assert.Equal("secret-0", secrets.Unprotect(first));

        Assert.Equal(before + 1, provider.Unprotected);
    }

    // The real Data Protection provider, counting the decryptions made through its protectors.
    private sealed class CountingProvider(IDataProtectionProvider inner) : IDataProtectionProvider
    {
        private int unprotected;

        public int Unprotected => Volatile.Read(ref unprotected);

        public IDataProtector CreateProtector(string purpose) => new Protector(this, inner.CreateProtector(purpose));

        private sealed class Protector(CountingProvider owner, IDataProtector inner) : IDataProtector
        {
            public IDataProtector CreateProtector(string purpose) => new Protector(owner, inner.CreateProtector(purpose));

            public byte[] Protect(byte[] plaintext) => inner.Protect(plaintext);

            public byte[] Unprotect(byte[] protectedData)
            {
                Interlocked.Increment(ref owner.unprotected);
                return inner.Unprotect(protectedData);
            }
        }
    }
}
