using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using NetEscapades.AspNetCore.SecurityHeaders;

namespace WebhookPortal.Features.Security;

/// <summary>
/// Security headers on every response: a Content-Security-Policy that Blazor Server, MudBlazor and the
/// Monaco editor work under, plus <c>X-Content-Type-Options</c>, <c>X-Frame-Options</c>, <c>Referrer-Policy</c> and a
/// <c>Permissions-Policy</c> that turns off the device and payment features the portal never uses (passkeys keep
/// <c>publickey-credentials-*</c> for the portal itself). No <c>Server</c> header. HTTPS redirection and HSTS, and the
/// forwarded headers of a TLS-terminating proxy, as <see cref="SecurityOptions"/> say.
/// </summary>
/// <remarks>
/// Scripts come only from the portal itself; the one inline script, the <c>&lt;ImportMap /&gt;</c> in App.razor, carries
/// the request's nonce (<see cref="HttpContextExtensions.GetNonce"/>). Styles allow <c>'unsafe-inline'</c> because
/// MudBlazor and Monaco set style attributes and add <c>&lt;style&gt;</c> elements at run time; a nonce there would make
/// browsers ignore <c>'unsafe-inline'</c>. Neither Blazor Server nor Monaco needs <c>'unsafe-eval'</c> or <c>blob:</c>.
/// </remarks>
public static class SecurityExtensions
{
    /// <summary>Registers the portal's security header policy, HTTPS, forwarded headers and cookie settings.</summary>
    public static IHostApplicationBuilder AddPortalSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSecurityHeaderPolicies(policies => policies
            .SetDefaultPolicy(headers => Portal(headers, inlineScripts: false))
            .AddPolicy(InlineScriptsPolicy, headers => Portal(headers, inlineScripts: true))
            // A sign-in form on the way to a docked system also admits that system's origin, and the authorization endpoint's
            // form_post answer its one script (see SignInFormTargets).
            .SetPolicySelector(context =>
            {
                var request = context.HttpContext.Request;
                var formPostScript = SignInFormTargets.IsAuthorizationEndpoint(request);
                var target = SignInFormTargets.OriginOf(request);
                return target is not null || formPostScript
                    ? Portal(new HeaderPolicyCollection(), inlineScripts: false, target, formPostScript)
                    : context.SelectedPolicy;
            }));
        services.Configure<SecurityOptions>(builder.Configuration.GetSection(SecurityOptions.Section));
        // Kestrel's own answers (a malformed request's 400) come from no middleware, so this is the only way to drop it there.
        services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);
        // Secure over HTTPS, so the token cookie never travels in clear once the portal is on HTTPS; plain HTTP keeps working.
        services.Configure<AntiforgeryOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        var proxies = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>()?.KnownProxies ?? [];
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            if (proxies.Length > 0)
            {
                options.KnownIPNetworks.Clear();
                options.KnownProxies.Clear();
                foreach (var proxy in proxies)
                {
                    if (IPAddress.TryParse(proxy, out var address))
                    {
                        options.KnownProxies.Add(address);
                    }
                    else
                    {
                        options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                    }
                }
            }
        });
        return builder;
    }

    /// <summary>
    /// The policy of pages that run a fixed inline script they cannot give a nonce: the API reference page (Scalar writes its
    /// start-up <c>&lt;script type="module"&gt;</c> inline). Same as the default but <c>script-src 'self' 'unsafe-inline'</c>.
    /// Apply with <c>WithSecurityHeadersPolicy</c> on those endpoints only.
    /// </summary>
    public const string InlineScriptsPolicy = "InlineScripts";

    // The single sign-on authorization endpoint's form_post answer (OpenIddict's page that posts the code to the client's
    // redirect URI) runs one fixed inline script, "document.form.submit();", allowed by its SHA-256 hash.
    private const string FormPostScriptHash = "j7OoGArf6XW6YY4cAyS3riSSvrJRqpSi1fOF9vQ5SrI=";

    private static HeaderPolicyCollection Portal(HeaderPolicyCollection headers, bool inlineScripts, string? formTarget = null, bool formPostScript = false) =>
        headers
            .AddContentTypeOptionsNoSniff()
            .AddFrameOptionsDeny()
            .AddReferrerPolicyNoReferrer()
            .AddPermissionsPolicy(permissions =>
            {
                permissions.AddAccelerometer().None();
                permissions.AddAutoplay().None();
                permissions.AddBluetooth().None();
                permissions.AddCamera().None();
                permissions.AddDisplayCapture().None();
                permissions.AddEncryptedMedia().None();
                permissions.AddGeolocation().None();
                permissions.AddGyroscope().None();
                permissions.AddHid().None();
                permissions.AddIdleDetection().None();
                permissions.AddMagnetometer().None();
                permissions.AddMicrophone().None();
                permissions.AddMidi().None();
                permissions.AddPayment().None();
                permissions.AddPictureInPicture().None();
                permissions.AddScreenWakeLock().None();
                permissions.AddSerialPermissions().None();
                permissions.AddUsb().None();
                permissions.AddXrSpatialTracking().None();
                // Passkey sign-in and registration (WebAuthn) on the portal's own pages.
                permissions.AddPublickeyCredentialsGet().Self();
                permissions.AddPublickeyCredentialsCreate().Self();
            })
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                if (inlineScripts)
                {
                    csp.AddScriptSrc().Self().UnsafeInline();
                }
                else if (formPostScript)
                {
                    csp.AddScriptSrc().Self().WithHash256(FormPostScriptHash);
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
                var formAction = csp.AddFormAction().Self();
                if (formTarget is not null)
                {
                    formAction.From(formTarget);
                }
            });

    /// <summary>
    /// Adds the headers to every response; call it first, before routing and authentication, so error pages, static files,
    /// 401s and redirects get them too. Before them it applies a trusted proxy's forwarded headers
    /// (<see cref="SecurityOptions.ForwardedHeaders"/>); after them, HSTS and the redirect to HTTPS
    /// (<see cref="SecurityOptions.HttpsRedirection"/>, on by default outside Development).
    /// </summary>
    public static WebApplication UsePortalSecurityHeaders(this WebApplication app)
    {
        var options = app.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (options.ForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        app.UseSecurityHeaders();
        if (options.HttpsRedirection ?? !app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        return app;
    }
}
