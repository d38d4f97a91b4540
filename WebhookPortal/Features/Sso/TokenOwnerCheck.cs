using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace WebhookPortal.Features.Sso;

/// <summary>
/// Lets a client revoke or introspect only an access token issued to it (RFC 7009 §2.1, RFC 7662 §2.1). OpenIddict checks
/// this only for access tokens that name an audience, and the portal's name none (no resource servers), so without this
/// any client — a public one needs no secret — could revoke another client's access token it got hold of, or read its claims.
/// Refresh tokens OpenIddict already checks. Refused with <c>invalid_token</c>, which the revocation endpoint answers as 200
/// and the introspection endpoint as <c>{"active":false}</c>.
/// </summary>
internal sealed class TokenOwnerCheck<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingClientContext
{
    /// <summary>Runs after OpenIddict's own checks, once the token is validated.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
        .UseSingletonHandler<TokenOwnerCheck<TContext>>()
        .SetOrder(OpenIddictServerHandlers.Revocation.ValidateAuthorizedParty.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (principal, clientId) = context switch
        {
            ValidateRevocationRequestContext revocation => (revocation.GenericTokenPrincipal, revocation.ClientId),
            ValidateIntrospectionRequestContext introspection => (introspection.GenericTokenPrincipal, introspection.ClientId),
            _ => (null, null),
        };
        if (principal is not null && principal.HasTokenType(TokenTypeIdentifiers.AccessToken)
            && (clientId is null || (!principal.HasPresenter(clientId) && !principal.HasAudience(clientId))))
        {
            context.Reject(Errors.InvalidToken, "The specified token cannot be used by this client application.");
        }

        return ValueTask.CompletedTask;
    }
}
