using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// A docked system as its developers would write it: a minimal ASP.NET Core app on Kestrel at
/// <c>http://localhost:PORT</c> that signs its users in with the portal through Microsoft's OpenID Connect handler
/// (authorization code with PKCE, tokens saved so sign-out sends the ID token, claims completed from userinfo).
/// Routes: <c>/</c> (requires a user; lists their claims in a table, one row <c>id="claim-NAME"</c> per claim type),
/// <c>/signout</c> (ends the app's session and the portal's, RP-initiated), <c>/signed-out</c> (where sign-out lands).
/// Its host name is <c>localhost</c> while the portal's is <c>127.0.0.1</c>, so a browser keeps their cookies apart.
/// </summary>
public sealed class DockedApp : IAsyncDisposable
{
    /// <summary>The heading of the page <c>/signed-out</c>.</summary>
    public const string SignedOutHeading = "Signed out of the docked app";

    /// <summary>The heading of the page <c>/</c>.</summary>
    public const string HomeHeading = "Docked app";

    private readonly WebApplication app;

    private DockedApp(WebApplication app, int port)
    {
        this.app = app;
        BaseUrl = $"http://localhost:{port}";
    }

    /// <summary><c>http://localhost:PORT</c>, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>The redirect URI to register on the client: <c>http://localhost:PORT/signin-oidc</c>.</summary>
    public string RedirectUri => BaseUrl + "/signin-oidc";

    /// <summary>The post-logout redirect URI to register on the client: <c>http://localhost:PORT/signout-callback-oidc</c>.</summary>
    public string PostLogoutRedirectUri => BaseUrl + "/signout-callback-oidc";

    /// <summary>A free port on loopback for <see cref="StartAsync"/>, so the client can be registered with its URIs first.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>
    /// Starts the app on <paramref name="port"/>, signing in with <paramref name="clientId"/> (and <paramref name="clientSecret"/>
    /// when confidential) at the provider <paramref name="authority"/> (the portal's address, plain HTTP allowed).
    /// </summary>
    public static async Task<DockedApp> StartAsync(int port, Uri authority, string clientId, string? clientSecret)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://localhost:{port}");
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(options =>
            {
                options.Authority = authority.ToString();
                options.RequireHttpsMetadata = false;
                options.ClientId = clientId;
                options.ClientSecret = clientSecret;
                options.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back as a top-level GET: the handler's correlation and nonce cookies (SameSite=Lax on
                // plain HTTP) travel with it, which they would not with a cross-site form post.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.UsePkce = true;
                options.SaveTokens = true;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.MapInboundClaims = false;
                options.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email", "phone" })
                {
                    options.Scope.Add(scope);
                }

                options.TokenValidationParameters.NameClaimType = "name";
            });
        builder.Services.AddAuthorization();
        var web = builder.Build();
        web.UseAuthentication();
        web.UseAuthorization();
        web.MapGet("/", (HttpContext http) => Html(HomeHeading, ClaimsTable(http))).RequireAuthorization();
        web.MapGet("/signout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        web.MapGet("/signed-out", () => Html(SignedOutHeading, "<p><a href=\"/\">Sign in again</a></p>"));
        // The port was free a moment ago; another process may rarely take it in between, so try a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await web.StartAsync();
                break;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }

        return new DockedApp(web, port);
    }

    private static string ClaimsTable(HttpContext http)
    {
        var rows = new StringBuilder();
        foreach (var claim in http.User.Claims)
        {
            var type = HtmlEncoder.Default.Encode(claim.Type);
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"<tr id=\"claim-{type}\"><th>{type}</th><td>{HtmlEncoder.Default.Encode(claim.Value)}</td></tr>");
        }

        return $"<table><tbody>{rows}</tbody></table><p><a href=\"/signout\">Sign out</a></p>";
    }

    private static IResult Html(string heading, string body) =>
        Results.Content($"<!DOCTYPE html><html><head><title>{heading}</title></head><body><h1>{heading}</h1>{body}</body></html>",
            "text/html; charset=utf-8");

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }
}
