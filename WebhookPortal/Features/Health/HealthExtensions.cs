using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WebhookPortal.Features.Health;

/// <summary>Registers and maps <c>/health</c>: the database and the delivery dispatcher, answered as JSON without signing in.</summary>
public static class HealthExtensions
{
    /// <summary>The health endpoint's path.</summary>
    public const string Path = "/health";

    /// <summary>Adds the <c>database</c> and <c>dispatcher</c> checks.</summary>
    public static IHostApplicationBuilder AddPortalHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<DispatcherHealthCheck>("dispatcher");
        return builder;
    }

    /// <summary>Maps <see cref="Path"/>: 200 when every check is healthy, 503 when one is not; the body says which.</summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteJsonAsync })
            .AllowAnonymous()
            .DisableAntiforgery();
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// <c>{"status":"Healthy","checks":{"database":{"status":…,"description":…,"durationMs":…,"data":{…}},…}}</c>. Exception
    /// details stay in the log (the health service logs every failing check); the endpoint is anonymous.
    /// </summary>
    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
