using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Health;

namespace WebhookPortal.Features.Operations;

/// <summary>
/// Registers what operators watch: the instance's name (<see cref="PortalInstance"/>) in every log line, and OpenTelemetry —
/// traces of ASP.NET Core, HttpClient, EF Core and every delivery attempt (<see cref="DeliveryTelemetry"/>), metrics of the
/// delivery meter (<see cref="DeliveryMetrics"/>), ASP.NET Core and HttpClient — exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and scraped at <see cref="MetricsPath"/> when
/// <c>Telemetry:Prometheus:Enabled</c> is true.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The Prometheus scrape endpoint's path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The setting that turns on <see cref="MetricsPath"/> (off by default: it is anonymous).</summary>
    public const string PrometheusSetting = "Telemetry:Prometheus:Enabled";

    /// <summary>The standard OpenTelemetry setting (usually an environment variable) naming the OTLP collector.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OpenTelemetry resource's <c>service.name</c>.</summary>
    public const string ServiceName = "WebhookPortal";

    /// <summary>Adds the instance, its log scope, and the OpenTelemetry signals that have somewhere to go.</summary>
    public static IHostApplicationBuilder AddPortalTelemetry(this IHostApplicationBuilder builder)
    {
        var instance = PortalInstance.From(builder);
        builder.Services.AddSingleton(instance);
        // The logger factory takes the scope provider registered here instead of its own (see InstanceLogScope).
        builder.Services.AddSingleton<IExternalScopeProvider>(sp => new InstanceLogScope(instance, sp.GetRequiredService<IOptions<LoggerFactoryOptions>>()));

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        var prometheus = builder.Configuration.GetValue<bool>(PrometheusSetting);
        if (!otlp && !prometheus)
        {
            // Nothing would read them: no listener, so spans and measurements cost nothing.
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                ServiceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString(), serviceInstanceId: instance.Name))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DeliveryMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(DeliveryTelemetry.SourceName)
                    // Probes and scrapes every few seconds would bury the requests worth reading.
                    .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthExtensions.Path) && !context.Request.Path.StartsWithSegments(MetricsPath))
                    .AddHttpClientInstrumentation()
                    .AddEntityFrameworkCoreInstrumentation()
                    // Added before the exporter, so the exporter reads the redacted URLs.
                    .AddProcessor(new UrlRedaction())
                    .AddOtlpExporter())
                .WithLogging(logging => logging.AddOtlpExporter(), options => options.IncludeScopes = true);
        }

        return builder;
    }

    /// <summary>Maps <see cref="MetricsPath"/> (Prometheus text format, anonymous) when <see cref="PrometheusSetting"/> is on; else nothing.</summary>
    public static WebApplication MapPortalTelemetry(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(PrometheusSetting))
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().DisableAntiforgery();
        }

        return app;
    }
}
