using Microsoft.EntityFrameworkCore;
using OpenIddict.Server;
using Microsoft.AspNetCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Features.Sso;

/// <summary>
/// Writes an audit entry (<c>sso.client_authentication_failed</c>) whenever a token, introspection or revocation request
/// is refused with <c>invalid_client</c> — a wrong secret, an unknown client ID — so a guessing docked system shows up in the
/// audit log. The secret that was tried is never written.
/// </summary>
internal sealed class ClientAuthenticationAudit<TContext>(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, ILogger<ClientAuthenticationAudit<TContext>> logger)
    : IOpenIddictServerHandler<TContext>
    where TContext : OpenIddictServerEvents.BaseRequestContext
{
    /// <summary>Runs before the answer is written, for every endpoint <typeparamref name="TContext"/> stands for.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
        .UseSingletonHandler<ClientAuthenticationAudit<TContext>>()
        .SetOrder(int.MinValue + 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        if (context.Transaction.Response?.Error != Errors.InvalidClient)
        {
            return;
        }

        var clientId = context.Transaction.Request?.ClientId ?? "";
        var address = context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress;
        var ip = address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        logger.LogWarning("Client authentication failed for client ID {ClientId} from {RemoteAddress} at {Endpoint}",
            clientId, ip, context.EndpointType);
        await using var db = await dbFactory.CreateDbContextAsync();
        AuditTrail.Add(db, AuditActor.System with { IpAddress = ip }, time.GetUtcNow().UtcDateTime, "sso.client_authentication_failed",
            "client " + clientId, new CodedMessage(MessageCodes.AuditClientAuthenticationFailed, context.EndpointType.ToString(), context.Transaction.Response.ErrorDescription ?? ""));
        await db.SaveChangesAsync();
    }
}
