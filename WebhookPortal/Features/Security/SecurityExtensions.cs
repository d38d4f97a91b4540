using NetEscapades.AspNetCore.SecurityHeaders;

namespace WebhookPortal.Features.Security;

/// <summary>
/// Security headers on every response (issue 5 §2): a Content-Security-Policy that Blazor Server, MudBlazor and the
/// Monaco editor work under, plus <c>X-Content-Type-Options</c>, <c>X-Frame-Options</c> and <c>Referrer-Policy</c>.
/// </summary>
/// <remarks>
/// Scripts come only from the portal itself; the one inline script, the <c>&lt;ImportMap /&gt;</c> in App.razor, carries
/// the request's nonce (<see cref="HttpContextExtensions.GetNonce"/>). Styles allow <c>'unsafe-inline'</c> because
/// MudBlazor and Monaco set style attributes and add <c>&lt;style&gt;</c> elements at run time; a nonce there would make
/// browsers ignore <c>'unsafe-inline'</c>. Neither Blazor Server nor Monaco needs <c>'unsafe-eval'</c> or <c>blob:</c>.
/// </remarks>
public static class SecurityExtensions
{
    /// <summary>Registers the portal's security header policy.</summary>
    public static IHostApplicationBuilder AddPortalSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSecurityHeaderPolicies(policies => policies
            .SetDefaultPolicy(headers => Portal(headers, inlineScripts: false))
            .AddPolicy(InlineScriptsPolicy, headers => Portal(headers, inlineScripts: true)));
        return builder;
    }

    /// <summary>
    /// The policy of pages that run a fixed inline script they cannot give a nonce: the API reference page (Scalar writes its
    /// start-up <c>&lt;script type="module"&gt;</c> inline). Same as the default but <c>script-src 'self' 'unsafe-inline'</c>.
    /// Apply with <c>WithSecurityHeadersPolicy</c> on those endpoints only.
    /// </summary>
    public const string InlineScriptsPolicy = "InlineScripts";

    private static void Portal(HeaderPolicyCollection headers, bool inlineScripts) =>
        headers
            .AddContentTypeOptionsNoSniff()
            .AddFrameOptionsDeny()
            .AddReferrerPolicyNoReferrer()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                if (inlineScripts)
                {
                    csp.AddScriptSrc().Self().UnsafeInline();
                }
                else
                {
                    csp.AddScriptSrc().Self().WithNonce();
                }

                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self().Data();
                csp.AddFontSrc().Self().Data();
                // CSP 3: 'self' also matches ws: and wss: to the portal's own host, so it admits the SignalR websocket.
                csp.AddConnectSrc().Self();
                // Monaco starts its language workers from its own same-origin files (vs/base/worker/workerMain.js).
                csp.AddWorkerSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddFrameAncestors().None();
                csp.AddBaseUri().Self();
                csp.AddFormAction().Self();
            });

    /// <summary>Adds the headers to every response; call it first, so error pages and static files get them too.</summary>
    public static WebApplication UsePortalSecurityHeaders(this WebApplication app)
    {
        app.UseSecurityHeaders();
        return app;
    }
}
