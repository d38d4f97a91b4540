using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Delivery;

/// <summary>Registers the outbox, the dispatcher and the webhook HTTP client.</summary>
public static class DeliveryExtensions
{
    /// <summary>Adds delivery: options from <c>Webhooks:Delivery</c>, the event notifier, the sender and the dispatcher.</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section)
            .PostConfigure(o =>
            {
                if (o.RetrySchedule.Length == 0)
                {
                    o.RetrySchedule = [.. DeliveryOptions.DefaultRetrySchedule];
                }
            })
            .Validate(o => o.MaxConcurrency > 0 && o.AttemptTimeout > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero
                    && o.QuickRetries >= 0 && o.MaxResponseBytes > 0 && o.RetrySchedule.All(d => d >= TimeSpan.Zero)
                    && o.RetryJitter is >= 0 and < 1 && o.MinRetryAfter >= TimeSpan.Zero,
                "Webhooks:Delivery needs MaxConcurrency > 0, AttemptTimeout > 0, PollInterval > 0, QuickRetries >= 0, MaxResponseBytes > 0, "
                + "no negative RetrySchedule entry, 0 <= RetryJitter < 1 and MinRetryAfter >= 0.")
            // A lease must outlive the longest attempt (every quick retry timing out, then the body read), or a
            // delivery still being sent would be claimed and sent again.
            .Validate(o => o.LeaseDuration >= o.LongestAttempt + TimeSpan.FromSeconds(10),
                "Webhooks:Delivery:LeaseDuration must exceed (QuickRetries + 2) × AttemptTimeout plus the retry delays by at least 10 s.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryFeed>();
        services.AddSingleton<DeliveryActions>();
        services.AddMetrics();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<DispatcherHeartbeat>();
        services.AddScoped<IUserEventNotifier, OutboxUserEventNotifier>();

        services.AddHttpClient<WebhookSender>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The default request logging writes every URL, and webhook URLs can hold robot keys.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A 3xx is reported, never followed (DESIGN §4): following would send the body somewhere nobody vetted.
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                // A custom header value may hold a user's CJK name; sent as UTF-8 rather than refused as non-ASCII.
                RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
            })
            .AddResilienceHandler("webhook", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
                if (options.QuickRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.QuickRetries,
                        Delay = options.QuickRetryDelay,
                        BackoffType = Polly.DelayBackoffType.Exponential,
                        UseJitter = true,
                        // A Retry-After of minutes belongs to the durable schedule, not to a worker waiting in memory.
                        ShouldRetryAfterHeader = false,
                        // Rate-limited and overloaded receivers are asked again later by the durable schedule, not hammered now.
                        ShouldHandle = args => args.Outcome.Result?.StatusCode is System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.ServiceUnavailable
                            ? ValueTask.FromResult(false)
                            : HttpClientResiliencePredicates.IsTransient(args.Outcome) ? ValueTask.FromResult(true) : ValueTask.FromResult(false),
                    });
                }

                pipeline.AddTimeout(options.AttemptTimeout);
            });

        // Every attempt is recorded and logged by the dispatcher; Polly's own telemetry would repeat each failure with a stack trace.
        builder.Logging.AddFilter("Polly", LogLevel.None);

        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
        services.AddSingleton<DeliveryRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryRetention>());
        return builder;
    }
}
