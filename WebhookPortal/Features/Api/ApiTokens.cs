using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Api;

/// <summary>Creates, lists, revokes and checks personal API tokens.</summary>
public sealed class ApiTokens(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Every token starts with this, so a leaked one is recognisable (and secret scanners can look for it).</summary>
    public const string Prefix = "wp_";

    /// <summary>How often <see cref="ApiToken.LastUsedAt"/> is written at most, so busy clients do not write on every request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Creates a token for <paramref name="userId"/>: 32 random bytes, Base64url, after <see cref="Prefix"/>.</summary>
    public async Task<CreatedApiToken> CreateAsync(string userId, ApiTokenModel model, AuditActor actor)
    {
        var token = Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        var entity = new ApiToken
        {
            UserId = userId,
            Name = model.Name.Trim(),
            Hash = HashOf(token),
            Hint = token[..(Prefix.Length + 4)],
            CreatedAt = now,
            ExpiresAt = model.ExpiresInDays > 0 ? now.AddDays(model.ExpiresInDays) : null,
        };
        await using var db = await dbFactory.CreateDbContextAsync();
        db.ApiTokens.Add(entity);
        AuditTrail.Add(db, actor, now, "api_token.created", "API token " + entity.Name,
            entity.ExpiresAt is { } expires
                ? new CodedMessage(MessageCodes.AuditExpires, expires.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture))
                : new CodedMessage(MessageCodes.AuditNeverExpires));
        await db.SaveChangesAsync();
        return new CreatedApiToken(entity, token);
    }

    /// <summary>The tokens of <paramref name="userId"/>, newest first (revoked ones included).</summary>
    public async Task<IReadOnlyList<ApiToken>> ListAsync(string userId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync();
    }

    /// <summary>Revokes token <paramref name="id"/> of <paramref name="userId"/>; false when there is none or it was revoked already.</summary>
    public async Task<bool> RevokeAsync(string userId, int id, AuditActor actor)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId && t.RevokedAt == null);
        if (token is null)
        {
            return false;
        }

        token.RevokedAt = now;
        AuditTrail.Add(db, actor, now, "api_token.revoked", "API token " + token.Name);
        await db.SaveChangesAsync();
        return true;
    }

    /// <summary>
    /// The token <paramref name="token"/> names when it is known, not revoked and not expired, else null. Records the use
    /// (<see cref="ApiToken.LastUsedAt"/>, at most once per <see cref="LastUsedResolution"/>).
    /// </summary>
    public async Task<ApiToken?> FindValidAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        var hash = HashOf(token);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.ApiTokens.FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        if (found is null || found.RevokedAt is not null || found.ExpiresAt <= now)
        {
            return null;
        }

        if (found.LastUsedAt is null || now - found.LastUsedAt >= LastUsedResolution)
        {
            found.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return found;
    }

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes. The token is random, so no salt or slow hash is needed.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
