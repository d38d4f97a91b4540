using Microsoft.AspNetCore.Components.Authorization;

namespace WebhookPortal.Features.Audit;

/// <summary>
/// The actor of the current scope. In a Blazor circuit <c>Routes</c> calls <see cref="UseCircuit"/> with the address of the
/// request that opened it (HttpContext is not reliable inside circuits); in an HTTP request (Identity's static pages, API)
/// the request's user and address are used; a scope a service creates for an actor gets it through <see cref="Use"/>.
/// </summary>
public sealed class CurrentActor(IHttpContextAccessor http, AuthenticationStateProvider authentication)
{
    private AuditActor? assigned;
    private bool inCircuit;
    private string? circuitAddress;

    /// <summary>Makes <paramref name="actor"/> the actor of this scope.</summary>
    public void Use(AuditActor actor) => assigned = actor;

    /// <summary>Marks the scope as a circuit opened from <paramref name="ipAddress"/>; the user comes from its authentication state.</summary>
    public void UseCircuit(string? ipAddress)
    {
        inCircuit = true;
        circuitAddress = ipAddress;
    }

    /// <summary>Who acts in this scope; <see cref="AuditActor.System"/> when nobody does.</summary>
    public async Task<AuditActor> GetAsync()
    {
        if (assigned is not null)
        {
            return assigned;
        }

        if (inCircuit)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            return AuditActor.Of(state.User, circuitAddress);
        }

        return http.HttpContext is { } context
            ? AuditActor.Of(context.User, context.Connection.RemoteIpAddress?.ToString())
            : AuditActor.System;
    }
}
