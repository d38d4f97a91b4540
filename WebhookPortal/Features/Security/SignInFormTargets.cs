using Microsoft.AspNetCore.WebUtilities;
using WebhookPortal.Features.Sso;

namespace WebhookPortal.Features.Security;

/// <summary>
/// Where a sign-in or sign-out form of the portal may end up besides the portal itself. Browsers check the
/// Content-Security-Policy's <c>form-action</c> against every redirect after a form is sent, and a form in a single
/// sign-on ends at a docked system: signing in on the way to <c>/connect/authorize</c> ends at the client's
/// <c>redirect_uri</c>, confirming an end-session request ends at its <c>post_logout_redirect_uri</c>. Without that origin
/// in <c>form-action</c> the browser stops at the portal's page and shows nothing.
/// </summary>
public static class SignInFormTargets
{
    /// <summary>
    /// The origin (<c>scheme://host[:port]</c>) a form on this page is sent on to, or null when it stays on the portal:
    /// the authorization endpoint itself (its <c>form_post</c> answer) or an <c>/Account/…</c> page whose <c>ReturnUrl</c> is an
    /// authorization request, with an absolute HTTP(S) <c>redirect_uri</c>; or the end-session endpoint's confirmation with a <c>post_logout_redirect_uri</c>. The URI is
    /// not checked against the client's registered ones here: OpenIddict refuses unregistered ones before any redirect.
    /// </summary>
    public static string? OriginOf(HttpRequest request)
    {
        if (IsAuthorizationEndpoint(request))
        {
            // The form_post answer posts the code to the redirect_uri.
            return Origin(request.Query["redirect_uri"].ToString());
        }

        if (request.Path.StartsWithSegments("/Account", StringComparison.OrdinalIgnoreCase))
        {
            var returnUrl = request.Query["ReturnUrl"].ToString();
            return SsoReturnUrl.IsAuthorizationRequest(returnUrl)
                ? Origin(QueryHelpers.ParseQuery(returnUrl[returnUrl.IndexOf('?', StringComparison.Ordinal)..]).GetValueOrDefault("redirect_uri").ToString())
                : null;
        }

        return request.Path.Equals("/" + SsoExtensions.EndSessionPath, StringComparison.OrdinalIgnoreCase)
            ? Origin(request.Query["post_logout_redirect_uri"].ToString())
            : null;
    }

    /// <summary>Whether <paramref name="request"/> is for the authorization endpoint, whose <c>form_post</c> answer runs one inline script.</summary>
    public static bool IsAuthorizationEndpoint(HttpRequest request) =>
        request.Path.Equals("/" + SsoExtensions.AuthorizationPath, StringComparison.OrdinalIgnoreCase);

    private static string? Origin(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            // The host in its ASCII form: a header value must be ASCII, and CSP matches hosts that way.
            ? $"{parsed.Scheme}://{(parsed.HostNameType == UriHostNameType.IPv6 ? parsed.Host : parsed.IdnHost)}{(parsed.IsDefaultPort ? "" : ":" + parsed.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}"
            : null;
}
