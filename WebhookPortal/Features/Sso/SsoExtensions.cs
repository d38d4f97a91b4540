using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using WebhookPortal.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Features.Sso;

/// <summary>
/// Registers the single sign-on provider: OpenIddict's OpenID Connect server on <see cref="PortalDbContext"/>, with the
/// authorization code flow (PKCE S256, required for public clients), rotating refresh tokens, userinfo, end-session,
/// revocation and introspection. No implicit, hybrid or password grant.
/// </summary>
public static class SsoExtensions
{
    /// <summary>The protocol endpoints, relative to the issuer.</summary>
    public const string AuthorizationPath = "connect/authorize", TokenPath = "connect/token", UserInfoPath = "connect/userinfo",
        EndSessionPath = "connect/endsession", RevocationPath = "connect/revoke", IntrospectionPath = "connect/introspect",
        JwksPath = ".well-known/jwks", DiscoveryPath = ".well-known/openid-configuration";

    /// <summary>The scopes a client may ask for.</summary>
    public static readonly IReadOnlyList<string> SupportedScopes =
        [Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Phone, Scopes.OfflineAccess];

    /// <summary>Adds OpenIddict's core (EF Core stores) and server, <see cref="SsoOptions"/> and the keys.</summary>
    public static IHostApplicationBuilder AddSso(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.Section);
        var settings = builder.Configuration.GetSection(SsoOptions.Section).Get<SsoOptions>() ?? new SsoOptions();
        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PortalDbContext>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris(AuthorizationPath)
                    .SetTokenEndpointUris(TokenPath)
                    .SetUserInfoEndpointUris(UserInfoPath)
                    .SetEndSessionEndpointUris(EndSessionPath)
                    .SetRevocationEndpointUris(RevocationPath)
                    .SetIntrospectionEndpointUris(IntrospectionPath)
                    .SetJsonWebKeySetEndpointUris(JwksPath)
                    .SetConfigurationEndpointUris(DiscoveryPath);
                options.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                // PKCE with S256 only: "plain" protects nothing against an attacker who can read the authorization request.
                // Clients authenticate with their secret only: none has a key set to sign client assertions (private_key_jwt).
                options.Configure(server =>
                {
                    server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
                    server.ClientAuthenticationMethods.Remove(ClientAuthenticationMethods.PrivateKeyJwt);
                    server.ClientAssertionTypes.Remove(ClientAssertionTypes.JwtBearer);
                });
                options.RegisterScopes([.. SupportedScopes]);
                options.RegisterClaims(Claims.Subject, Claims.PreferredUsername, Claims.Name, Claims.GivenName, Claims.FamilyName,
                    Claims.Email, Claims.EmailVerified, Claims.PhoneNumber);
                if (settings.Issuer is not null)
                {
                    options.SetIssuer(settings.Issuer);
                }

                options.SetAuthorizationCodeLifetime(settings.AuthorizationCodeLifetime)
                    .SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(settings.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(settings.RefreshTokenLifetime);
                // Docked systems validate access tokens themselves against the JWKS: plain signed JWTs, as most libraries expect.
                options.DisableAccessTokenEncryption();
                var aspNetCore = options.UseAspNetCore();
                if (!(settings.RequireHttps ?? !builder.Environment.IsDevelopment()))
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }

                options.AddEventHandler(ClientAuthenticationAudit<OpenIddictServerEvents.ApplyTokenResponseContext>.Descriptor)
                    .AddEventHandler(ClientAuthenticationAudit<OpenIddictServerEvents.ApplyIntrospectionResponseContext>.Descriptor)
                    .AddEventHandler(ClientAuthenticationAudit<OpenIddictServerEvents.ApplyRevocationResponseContext>.Descriptor)
                    .AddEventHandler(RepeatedParameterCheck<OpenIddictServerEvents.ValidateAuthorizationRequestContext>.Descriptor)
                    .AddEventHandler(RepeatedParameterCheck<OpenIddictServerEvents.ValidateEndSessionRequestContext>.Descriptor)
                    .AddEventHandler(RepeatedParameterCheck<OpenIddictServerEvents.ValidateTokenRequestContext>.Descriptor)
                    .AddEventHandler(RepeatedParameterCheck<OpenIddictServerEvents.ValidateRevocationRequestContext>.Descriptor)
                    .AddEventHandler(RepeatedParameterCheck<OpenIddictServerEvents.ValidateIntrospectionRequestContext>.Descriptor)
                    .AddEventHandler(TokenOwnerCheck<OpenIddictServerEvents.ValidateRevocationRequestContext>.Descriptor)
                    .AddEventHandler(TokenOwnerCheck<OpenIddictServerEvents.ValidateIntrospectionRequestContext>.Descriptor);
                aspNetCore
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableErrorPassthrough();
            });
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, SsoKeys>();
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsTokenRequest(context)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        "token:" + TokenRequestClientId(context) + "@" + context.Connection.RemoteIpAddress, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = Math.Max(1, settings.TokenRequestsPerMinute),
                        Window = TimeSpan.FromMinutes(1),
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = "60";
                await response.WriteAsJsonAsync(new Dictionary<string, string>
                {
                    ["error"] = "temporarily_unavailable",
                    ["error_description"] = "Too many token requests for this client ID; try again in a minute.",
                }, cancellationToken);
            };
        });
        return builder;
    }

    /// <summary>
    /// Limits token requests per client ID and address (<see cref="SsoOptions.TokenRequestsPerMinute"/>), before OpenIddict
    /// checks the client's secret: guessing secrets costs that budget, and, since client IDs are no secret, a stranger who
    /// spends it cannot lock the docked system's own back end (another address) out of its token requests. A protocol endpoint's form that cannot be read (over
    /// ASP.NET Core's limits: 1,024 fields, 2 KB names, 4 MB values) is refused here with <c>invalid_request</c> — a 400
    /// JSON answer, or <c>/sso/error</c> for the authorization and end-session endpoints, which browsers visit.
    /// </summary>
    public static IApplicationBuilder UseSsoRateLimits(this IApplicationBuilder app)
    {
        // The limiter decides synchronously, so the form (where client_secret_post puts the client ID) is read first; OpenIddict
        // reads the same buffered form afterwards, and would throw (a 500) on a form over the limits.
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && IsProtocolPath(context.Request.Path) && context.Request.HasFormContentType)
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
                {
                    await RefuseUnreadableFormAsync(context);
                    return;
                }
            }

            await next(context);
        });
        return app.UseRateLimiter();
    }

    /// <summary>Maps the application's side of the authorization, token, userinfo and end-session endpoints.</summary>
    public static IEndpointRouteBuilder MapSso(this IEndpointRouteBuilder app)
    {
        SsoEndpoints.Map(app);
        return app;
    }

    private static readonly string[] FormPaths =
        ["/" + AuthorizationPath, "/" + TokenPath, "/" + UserInfoPath, "/" + EndSessionPath, "/" + RevocationPath, "/" + IntrospectionPath];

    private static bool IsProtocolPath(PathString path) => FormPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    private static async Task RefuseUnreadableFormAsync(HttpContext context)
    {
        const string Description = "The request's form is too large or has too many fields.";
        var path = context.Request.Path;
        if (path.Equals("/" + AuthorizationPath, StringComparison.OrdinalIgnoreCase)
            || path.Equals("/" + EndSessionPath, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect("/sso/error" + QueryString.Create([
                new KeyValuePair<string, string?>("error", Errors.InvalidRequest),
                new KeyValuePair<string, string?>("error_description", Description)]));
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["error"] = Errors.InvalidRequest,
            ["error_description"] = Description,
        }, context.RequestAborted);
    }

    private static bool IsTokenRequest(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/" + TokenPath, StringComparison.OrdinalIgnoreCase);

    private static string TokenRequestClientId(HttpContext context)
    {
        if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return Uri.UnescapeDataString(colon < 0 ? decoded : decoded[..colon]);
            }
            catch (FormatException)
            {
                return "";
            }
        }

        return context.Request.HasFormContentType && context.Request.Form.TryGetValue("client_id", out var clientId) ? clientId.ToString() : "";
    }
}
