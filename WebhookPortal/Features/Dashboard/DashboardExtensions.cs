namespace WebhookPortal.Features.Dashboard;

/// <summary>Registers the dashboard's services.</summary>
public static class DashboardExtensions
{
    /// <summary>Adds <see cref="DashboardQueries"/>.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DashboardQueries>();
        return builder;
    }
}
