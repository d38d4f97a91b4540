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
                options.Configure(server => server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
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

                aspNetCore
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableErrorPassthrough();
            });
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, SsoKeys>();
        return builder;
    }
}
