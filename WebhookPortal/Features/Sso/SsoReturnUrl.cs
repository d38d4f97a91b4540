namespace WebhookPortal.Features.Sso;

/// <summary>Reads a sign-in page's return URL: is the user signing in on the way to a docked client, and which one.</summary>
public static class SsoReturnUrl
{
    /// <summary>
    /// Whether <paramref name="returnUrl"/> is a local URL of the authorization endpoint (<c>/connect/authorize?…</c>), as
    /// the authorization endpoint sends users to the sign-in page with.
    /// </summary>
    public static bool IsAuthorizationRequest(string? returnUrl) => ClientIdOf(returnUrl) is not null;

    /// <summary>The <c>client_id</c> of a local authorization request URL, or null for anything else (other pages, other sites).</summary>
    public static string? ClientIdOf(string? returnUrl)
    {
        // Only a path on this site: "//host/…" and "/\\host/…" are other sites to a browser.
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/' || returnUrl.StartsWith("//", StringComparison.Ordinal)
            || returnUrl.StartsWith("/\\", StringComparison.Ordinal))
        {
            return null;
        }

        var query = returnUrl.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? returnUrl : returnUrl[..query];
        if (!string.Equals(path, "/" + SsoExtensions.AuthorizationPath, StringComparison.OrdinalIgnoreCase) || query < 0)
        {
            return null;
        }

        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(returnUrl[query..]);
        return parameters.TryGetValue("client_id", out var clientId) && clientId.Count == 1 && !string.IsNullOrEmpty(clientId[0])
            ? clientId[0]
            : null;
    }
}
