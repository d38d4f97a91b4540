using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Sso;

/// <summary>
/// Gives OpenIddict its signing and encryption keys: the configured certificates when <see cref="SsoOptions"/> names them,
/// otherwise RSA keys generated once, stored encrypted (Data Protection) in <see cref="PortalDbContext.SsoKeys"/> and read
/// by every instance — never development keys that change on each start, which would end every session on a restart.
/// </summary>
/// <remarks>OpenIddict reads its options at the first protocol request, after start-up has migrated the database.</remarks>
internal sealed class SsoKeys(
    IOptions<SsoOptions> sso, IDbContextFactory<PortalDbContext> dbFactory, IDataProtectionProvider protection, TimeProvider time)
    : IConfigureOptions<OpenIddictServerOptions>
{
    private const string ProtectorPurpose = "WebhookPortal.SsoKeys";

    public void Configure(OpenIddictServerOptions options)
    {
        var settings = sso.Value;
        var signing = settings.SigningCertificatePath is { Length: > 0 } signingPath
            ? new X509SecurityKey(LoadCertificate(signingPath, settings.SigningCertificatePassword))
            : (SecurityKey)StoredKey(SsoKey.SigningPurpose);
        var encryption = settings.EncryptionCertificatePath is { Length: > 0 } encryptionPath
            ? new X509SecurityKey(LoadCertificate(encryptionPath, settings.EncryptionCertificatePassword))
            : (SecurityKey)StoredKey(SsoKey.EncryptionPurpose);
        options.SigningCredentials.Add(new SigningCredentials(signing, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(encryption, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey && certificate.GetRSAPrivateKey() is not null
            ? certificate
            : throw new InvalidOperationException($"The SSO certificate {path} has no RSA private key.");
    }

    // The options are built once and cached with whatever they threw, so a passing database failure here (a connection that
    // could not be opened) would fail every protocol request until a restart: it is tried again a few times first.
    private RsaSecurityKey StoredKey(string purpose)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return ReadOrCreateKey(purpose);
            }
            catch (Exception ex) when (attempt < 4 && ex is System.Data.Common.DbException or ObjectDisposedException or InvalidOperationException)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }

    private RsaSecurityKey ReadOrCreateKey(string purpose)
    {
        var protector = protection.CreateProtector(ProtectorPurpose);
        using var db = dbFactory.CreateDbContext();
        var stored = db.SsoKeys.AsNoTracking().FirstOrDefault(k => k.Purpose == purpose);
        if (stored is null)
        {
            using var generated = RSA.Create(2048);
            db.SsoKeys.Add(new SsoKey
            {
                Purpose = purpose,
                ProtectedKey = Convert.ToBase64String(protector.Protect(generated.ExportPkcs8PrivateKey())),
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Another instance stored its key first; everyone uses that one.
            }

            stored = db.SsoKeys.AsNoTracking().First(k => k.Purpose == purpose);
        }

        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(stored.ProtectedKey)), out _);
        var key = new RsaSecurityKey(rsa);
        // The key ID is derived from the public key, so every instance publishes the same one.
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }
}
