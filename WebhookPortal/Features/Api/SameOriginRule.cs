using WebhookPortal.Resources;

namespace WebhookPortal.Features.Api;

/// <summary>
/// No cross-site writes with the sign-in cookie: an API request that may change something (any method but GET, HEAD,
/// OPTIONS and TRACE) and that carries no bearer token, so the browser's cookie is what authenticates it, must say it
/// comes from the portal's own pages. Browsers say so with <c>Sec-Fetch-Site: same-origin</c> (W3C Fetch Metadata); a
/// browser without Fetch Metadata, with an <c>Origin</c> equal to the request's own scheme, host and port (RFC 6454). A
/// page on another origin — even another port of the same host, which counts as the same site for cookies — cannot set
/// either, so its forms and scripts are refused with 403 before the endpoint runs. Requests with
/// <c>Authorization: Bearer</c> are unaffected: a browser never adds that header by itself.
/// </summary>
public static class SameOriginRule
{
    /// <summary>Whether <paramref name="request"/> carries a same-origin signal (see the type's summary).</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        // Sent by every current browser and never by a page's script: when present, it decides.
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase);
        }

        return Uri.TryCreate(request.Headers.Origin.ToString(), UriKind.Absolute, out var origin)
            && string.Equals(origin.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(origin.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && origin.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));
    }

    /// <summary>Middleware for <c>/api</c>, after authentication: refuses a cookie-authenticated unsafe request without the signal.</summary>
    internal static Task EnforceAsync(HttpContext context, RequestDelegate next)
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        if (safe
            || ApiTokenAuthenticationHandler.BearerToken(context.Request) is not null
            || context.User.Identity?.IsAuthenticated != true
            || IsSameOrigin(context.Request))
        {
            return next(context);
        }

        return ApiResults.Problem(StatusCodes.Status403Forbidden, "Forbidden",
                UiText.Get("A change sent with the portal's sign-in cookie must come from the portal's own pages (same-origin). " +
                "Programs and scripts elsewhere use an API token: Authorization: Bearer wp_…."))
            .ExecuteAsync(context);
    }
}
