using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebhookPortal.Data;
using WebhookPortal.Features.Operations;

namespace WebhookPortal.Features.Health;

/// <summary>
/// Registers and maps <c>/health</c>: the database, the delivery dispatcher and, on PostgreSQL, the listener for the other
/// instances' notifications, answered as JSON without signing in.
/// </summary>
public static class HealthExtensions
{
    /// <summary>The health endpoint's path.</summary>
    public const string Path = "/health";

    /// <summary>
    /// Adds the <c>database</c> and <c>dispatcher</c> checks, and on PostgreSQL (<see cref="DatabaseProvider"/>, where
    /// <see cref="PostgreSqlNotifications"/> is registered) the <c>notifications</c> check.
    /// </summary>
    public static IHostApplicationBuilder AddPortalHealth(this IHostApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<DispatcherHealthCheck>("dispatcher");
        if (builder.Configuration.IsPostgreSql())
        {
            checks.AddCheck<NotificationsHealthCheck>("notifications");
        }

        return builder;
    }

    /// <summary>
    /// Maps <see cref="Path"/>: 200 when every check is healthy or only degraded (status <c>Degraded</c>), 503 when one is
    /// unhealthy; the body says which.
    /// </summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteJsonAsync })
            .AllowAnonymous()
            .DisableAntiforgery();
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// <c>{"status":"Healthy","instance":"web-1","databaseProvider":"Microsoft.EntityFrameworkCore.Sqlite","checks":{"database":
    /// {"status":…,"description":…,"durationMs":…,"data":{…}},…}}</c>: which instance answered (<see cref="PortalInstance"/>)
    /// and on what database. Exception details stay in the log (the health service logs every failing check); the endpoint is anonymous.
    /// </summary>
    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        string? provider;
        // Creating a context opens no connection: the provider is known even when the database is down.
        await using (var db = await context.RequestServices.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(context.RequestAborted))
        {
            provider = db.Database.ProviderName;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            instance = context.RequestServices.GetRequiredService<PortalInstance>().Name,
            databaseProvider = provider,
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
