using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WebhookPortal.Features.Audit;

/// <summary>Registers the audit log.</summary>
public static class AuditExtensions
{
    /// <summary>
    /// Adds <see cref="CurrentActor"/> (scoped) and <see cref="AuditQueries"/>, and a plain server
    /// <see cref="AuthenticationStateProvider"/> unless one is registered: the actor needs one in a host without the Blazor
    /// UI (a worker, the benchmarks), and the UI registers its own re-validating provider, which wins.
    /// </summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddScoped<AuthenticationStateProvider, ServerAuthenticationStateProvider>();
        builder.Services.AddScoped<CurrentActor>();
        builder.Services.AddSingleton<AuditQueries>();
        return builder;
    }
}
