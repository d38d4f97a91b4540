namespace WebhookPortal.Features.Audit;

/// <summary>Registers the audit log.</summary>
public static class AuditExtensions
{
    /// <summary>Adds <see cref="CurrentActor"/> (scoped) and <see cref="AuditQueries"/>.</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CurrentActor>();
        builder.Services.AddSingleton<AuditQueries>();
        return builder;
    }
}
