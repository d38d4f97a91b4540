using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Features.Sso;

/// <summary>
/// Refuses a protocol request that repeats a parameter (<c>state=a&amp;state=b</c>) with <c>invalid_request</c> naming it:
/// RFC 6749 §3.1 forbids repeats, and OpenIddict would otherwise read a repeated <c>client_id</c> as missing and drop a
/// repeated <c>state</c> from its answer. <c>resource</c> and <c>audience</c>, which may repeat (RFC 8707), are let through.
/// </summary>
internal sealed class RepeatedParameterCheck<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : OpenIddictServerEvents.BaseValidatingContext
{
    /// <summary>Runs before OpenIddict's own checks of <typeparamref name="TContext"/>'s request.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
        .UseSingletonHandler<RepeatedParameterCheck<TContext>>()
        .SetOrder(int.MinValue + 50_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var repeated = context.Transaction.Request?.GetParameters()
            .FirstOrDefault(p => p.Value.Count > 1 && p.Key is not (Parameters.Resource or Parameters.Audience)).Key;
        if (repeated is not null)
        {
            context.Reject(Errors.InvalidRequest, $"The '{repeated}' parameter must not be repeated.");
        }

        return ValueTask.CompletedTask;
    }
}
