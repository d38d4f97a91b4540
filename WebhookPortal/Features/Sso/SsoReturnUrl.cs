using Microsoft.AspNetCore.WebUtilities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Features.Sso;

/// <summary>
/// Reads the <c>ReturnUrl</c> Identity's cookie handler gives the sign-in page: whether it resumes an OpenID Connect
/// authorization request of a client ID (<c>/connect/authorize?client_id=crm&amp;…</c>), and which. Only a local URL counts
/// (a path from the root, not <c>//host</c>, <c>/\host</c> or an absolute URL), so an off-site address names nobody.
/// </summary>
public static class SsoReturnUrl
{
    private static readonly string AuthorizationPath = "/" + SsoExtensions.AuthorizationPath;

    /// <summary>
    /// The <c>client_id</c> of a local authorization request, e.g. <c>crm</c> for
    /// <c>/connect/authorize?client_id=crm&amp;response_type=code</c>; null for any other URL, an off-site one, or an
    /// authorization request without exactly one non-empty client_id. The value is not checked against the registered clients.
    /// </summary>
    public static string? ClientIdOf(string? returnUrl)
    {
        if (!IsLocal(returnUrl))
        {
            return null;
        }

        var query = returnUrl!.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? returnUrl : returnUrl[..query];
        if (query < 0 || !string.Equals(path, AuthorizationPath, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var queryText = returnUrl[(query + 1)..];
        var hash = queryText.IndexOf('#', StringComparison.Ordinal);
        var values = QueryHelpers.ParseQuery(hash < 0 ? queryText : queryText[..hash]);
        return values.TryGetValue(Parameters.ClientId, out var clientIds) && clientIds.Count == 1 && !string.IsNullOrWhiteSpace(clientIds[0])
            ? clientIds[0]
            : null;
    }

    /// <summary>True when <paramref name="returnUrl"/> is a local authorization request naming a client ID (<see cref="ClientIdOf"/> is not null).</summary>
    public static bool IsAuthorizationRequest(string? returnUrl) => ClientIdOf(returnUrl) is not null;

    // ASP.NET Core's Url.IsLocalUrl rule without "~/": one leading slash not followed by another slash or a backslash, and
    // no control characters (browsers drop tabs and newlines, so "/\t/evil.example" would leave the site).
    private static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || url.Any(char.IsControl))
        {
            return false;
        }

        return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
    }
}
