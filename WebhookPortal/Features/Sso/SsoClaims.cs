using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Features.Sso;

/// <summary>The claims a docked system receives about a user, by scope (OpenID Connect Core 1.0 §5.4).</summary>
public static class SsoClaims
{
    /// <summary>
    /// Identity's security stamp, kept only inside codes and refresh tokens (no destination): a changed password changes the
    /// stamp, which ends the refresh tokens issued before.
    /// </summary>
    public const string SecurityStamp = "portal_security_stamp";

    /// <summary>
    /// Sets the user's claims on <paramref name="identity"/> (replacing earlier values): <c>sub</c> (user id),
    /// <c>preferred_username</c>, <c>name</c>, <c>given_name</c>, <c>family_name</c>, <c>email</c>, <c>email_verified</c>,
    /// <c>phone_number</c> and the security stamp, each sent where its scope allows; the scopes must be set first.
    /// </summary>
    public static ClaimsIdentity Describe(ClaimsIdentity identity, PortalUser user)
    {
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(Claims.Name, DisplayName(user))
            .SetClaim(Claims.GivenName, NullIfEmpty(user.FirstName))
            .SetClaim(Claims.FamilyName, NullIfEmpty(user.LastName))
            .SetClaim(Claims.Email, NullIfEmpty(user.Email))
            .SetClaim(Claims.EmailVerified, user.Email is { Length: > 0 } ? user.EmailConfirmed : null)
            .SetClaim(Claims.PhoneNumber, NullIfEmpty(user.PhoneNumber))
            .SetClaim(SecurityStamp, user.SecurityStamp);
        identity.SetDestinations(Destinations);
        return identity;
    }

    /// <summary>A new identity for <paramref name="user"/> granted <paramref name="scopes"/>, in OpenIddict's shape.</summary>
    public static ClaimsIdentity For(PortalUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetScopes(scopes);
        return Describe(identity, user);
    }

    /// <summary>The userinfo answer for the scopes <paramref name="principal"/> was granted, from the user as stored now.</summary>
    public static Dictionary<string, object> UserInfo(ClaimsPrincipal principal, PortalUser user)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.PreferredUsername] = user.UserName ?? "";
            claims[Claims.Name] = DisplayName(user);
            Add(claims, Claims.GivenName, user.FirstName);
            Add(claims, Claims.FamilyName, user.LastName);
        }

        if (principal.HasScope(Scopes.Email) && user.Email is { Length: > 0 } email)
        {
            claims[Claims.Email] = email;
            claims[Claims.EmailVerified] = user.EmailConfirmed;
        }

        if (principal.HasScope(Scopes.Phone))
        {
            Add(claims, Claims.PhoneNumber, user.PhoneNumber);
        }

        return claims;
    }

    /// <summary>Whether the security stamp in <paramref name="principal"/> is still the user's: false after a password change.</summary>
    public static bool StampMatches(ClaimsPrincipal principal, PortalUser user) =>
        principal.GetClaim(SecurityStamp) is not { } stamp || string.Equals(stamp, user.SecurityStamp, StringComparison.Ordinal);

    private static string DisplayName(PortalUser user) =>
        PersonName.Full(user.FirstName, user.LastName) is { Length: > 0 } full ? full : user.UserName ?? "";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void Add(Dictionary<string, object> claims, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            claims[type] = value;
        }
    }

    private static IEnumerable<string> Destinations(Claim claim)
    {
        if (claim.Type == SecurityStamp)
        {
            // No destination: OpenIddict keeps it in codes and refresh tokens only, never in a token a client can read.
            yield break;
        }

        yield return OpenIddictConstants.Destinations.AccessToken;
        var scope = claim.Type switch
        {
            Claims.Subject => Scopes.OpenId,
            Claims.PreferredUsername or Claims.Name or Claims.GivenName or Claims.FamilyName => Scopes.Profile,
            Claims.Email or Claims.EmailVerified => Scopes.Email,
            Claims.PhoneNumber => Scopes.Phone,
            _ => null,
        };
        if (scope is not null && (scope == Scopes.OpenId || claim.Subject?.HasScope(scope) == true))
        {
            yield return OpenIddictConstants.Destinations.IdentityToken;
        }
    }
}
