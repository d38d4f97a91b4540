using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using OpenIddict.Abstractions;
using WebhookPortal.Features.Sso;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Features.Clients;

/// <summary>
/// The OpenIddict application behind each client: what it may do (code flow with refresh tokens, the portal's scopes,
/// PKCE for public clients, no consent screen) and its secrets.
/// </summary>
internal static class ClientApplications
{
    /// <summary>What every client secret starts with, so a leaked one is recognisable.</summary>
    public const string SecretPrefix = "cs_";

    /// <summary>A new client secret: <see cref="SecretPrefix"/> and 32 random bytes in base64url (43 characters).</summary>
    public static string NewSecret() => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A descriptor for a first-party web application <paramref name="clientId"/>: implicit consent, the authorization code
    /// and refresh token grants, the scopes of <see cref="SsoExtensions.SupportedScopes"/>; introspection only for a
    /// confidential client, which gets <paramref name="secret"/>; PKCE required of a public one.
    /// </summary>
    public static OpenIddictApplicationDescriptor Descriptor(string clientId, string displayName, ClientType type,
        IEnumerable<string> redirectUris, IEnumerable<string> postLogoutRedirectUris, string? secret)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = displayName,
            ClientType = type == ClientType.Public ? ClientTypes.Public : ClientTypes.Confidential,
            ClientSecret = type == ClientType.Public ? null : secret,
            ConsentType = ConsentTypes.Implicit,
            ApplicationType = ApplicationTypes.Web,
        };
        SetUris(descriptor, redirectUris, postLogoutRedirectUris);
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
            Permissions.Endpoints.Revocation, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
            Permissions.ResponseTypes.Code,
        ]);
        // openid needs no permission; every other scope does.
        descriptor.Permissions.UnionWith(SsoExtensions.SupportedScopes.Where(s => s != Scopes.OpenId).Select(s => Permissions.Prefixes.Scope + s));
        if (type == ClientType.Confidential)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }
        else
        {
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }

        return descriptor;
    }

    /// <summary>Replaces the redirect URIs of <paramref name="descriptor"/> (OpenIddict keeps them as <see cref="Uri"/>s).</summary>
    public static void SetUris(OpenIddictApplicationDescriptor descriptor, IEnumerable<string> redirectUris, IEnumerable<string> postLogoutRedirectUris)
    {
        descriptor.RedirectUris.Clear();
        descriptor.RedirectUris.UnionWith(redirectUris.Select(u => new Uri(u, UriKind.Absolute)));
        descriptor.PostLogoutRedirectUris.Clear();
        descriptor.PostLogoutRedirectUris.UnionWith(postLogoutRedirectUris.Select(u => new Uri(u, UriKind.Absolute)));
    }

    /// <summary>The type of an application from its stored <c>client_type</c>; anything but "public" is confidential.</summary>
    public static ClientType TypeOf(string? clientType) =>
        string.Equals(clientType, ClientTypes.Public, StringComparison.Ordinal) ? ClientType.Public : ClientType.Confidential;

    /// <summary>The URIs of a stored JSON array (how OpenIddict's EF entity keeps them); empty for null or unreadable text.</summary>
    public static IReadOnlyList<string> ParseUris(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
