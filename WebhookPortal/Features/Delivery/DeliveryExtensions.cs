using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Delivery;

/// <summary>Registers the outbox, the dispatcher and the webhook HTTP client.</summary>
public static class DeliveryExtensions
{
    /// <summary>
    /// Adds delivery: options from <c>Webhooks:Delivery</c>, the event notifier, the sender, the <see cref="DeliveryStore"/>
    /// of the database's provider, the dispatcher and <see cref="DeliveryQueries"/>.
    /// </summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var instance = Operations.PortalInstance.From(builder);
        var postgreSql = builder.Configuration.IsPostgreSql();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section)
            .PostConfigure(o =>
            {
                // One name everywhere: Portal:InstanceName, else this section's own (older) InstanceId, else the default.
                o.InstanceId = instance.Name;

                if (o.RetrySchedule.Length == 0)
                {
                    o.RetrySchedule = [.. DeliveryOptions.DefaultRetrySchedule];
                }

                foreach (var (target, rules) in DeliveryOptions.DefaultRateLimits)
                {
                    o.RateLimits.TryAdd(target, [.. rules.Select(r => new RateLimitRule(r.Permits, r.Window))]);
                }
            })
            .Validate(o => o.MaxConcurrencyPerWebhook > 0 && o.CircuitBreakerFailures >= 2 && o.CircuitBreakerSamplingDuration >= TimeSpan.FromMilliseconds(500)
                    && o.CircuitBreakerBreakDuration >= TimeSpan.FromMilliseconds(500)
                    && o.RateLimits.Values.All(rules => rules.All(r => r.Permits >= 0 && (r.Permits == 0 || r.Window > TimeSpan.Zero))),
                "Webhooks:Delivery needs MaxConcurrencyPerWebhook > 0, CircuitBreakerFailures >= 2, circuit-breaker durations of at least 0.5 s "
                + "and rate limits with Permits >= 0 and a positive Window.")
            .Validate(o => o.MaxConcurrency > 0 && o.AttemptTimeout > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero
                    && o.QuickRetries >= 0 && o.MaxResponseBytes > 0 && o.RetrySchedule.All(d => d >= TimeSpan.Zero)
                    && o.RetryJitter is >= 0 and < 1 && o.MinRetryAfter >= TimeSpan.Zero,
                "Webhooks:Delivery needs MaxConcurrency > 0, AttemptTimeout > 0, PollInterval > 0, QuickRetries >= 0, MaxResponseBytes > 0, "
                + "no negative RetrySchedule entry, 0 <= RetryJitter < 1 and MinRetryAfter >= 0.")
            // A lease must outlive the longest attempt (every quick retry timing out, then the body read), or a
            // delivery still being sent would be claimed and sent again.
            .Validate(o => o.LeaseDuration >= o.LongestAttempt + TimeSpan.FromSeconds(10),
                "Webhooks:Delivery:LeaseDuration must exceed (QuickRetries + 2) × AttemptTimeout plus the retry delays by at least 10 s.")
            .Validate(o => o.InstanceId.Length <= DeliveryOptions.InstanceIdMaxLength && !o.InstanceId.Contains('/'),
                $"{Operations.PortalInstance.NameSetting} (or {Operations.PortalInstance.LegacyNameSetting}) must be at most {DeliveryOptions.InstanceIdMaxLength} characters without '/'.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryFeed>();
        services.AddSingleton<DeliveryActions>();
        services.AddSingleton<DeliveryQueries>();
        services.AddMetrics();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<DispatcherHeartbeat>();
        services.AddScoped<IUserEventNotifier, OutboxUserEventNotifier>();

        // One sender for the process (it holds the client, see WebhookSender) and the secrets it has decrypted.
        services.AddSingleton<DecryptedSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The default request logging writes every URL, and webhook URLs can hold robot keys.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                // The SSRF guard resolves and vets the host, then connects to the vetted address (no second lookup to rebind).
                ConnectCallback = services.GetRequiredService<NetworkGuard>().ConnectAsync,
                // Through a proxy the guard would vet the proxy, not the target.
                UseProxy = false,
                // A 3xx is reported, never followed: following would send the body somewhere nobody vetted.
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
                                || args.Outcome.Exception is HttpRequestException { InnerException: NetworkGuardException }
                                || (args.Context.GetRequestMessage()?.Options.TryGetValue(WebhookSender.SendOnce, out var once) == true && once)
                            ? ValueTask.FromResult(false)
                            : HttpClientResiliencePredicates.IsTransient(args.Outcome) ? ValueTask.FromResult(true) : ValueTask.FromResult(false),
                        OnRetry = args =>
                        {
                            // The sender reports this one if a later try is refused by the open circuit (see WebhookSender.FirstFailure).
                            if (args.Outcome.Exception is not Polly.CircuitBreaker.BrokenCircuitException
                                && args.Context.GetRequestMessage()?.Options.TryGetValue(WebhookSender.FirstFailure, out var first) == true)
                            {
                                first.Value ??= args.Outcome;
                            }

                            return ValueTask.CompletedTask;
                        },
                    });
                }

                // Inside the quick retries, so every try counts; one circuit per host (the pipeline is selected by authority below).
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 1.0,
                    MinimumThroughput = options.CircuitBreakerFailures,
                    SamplingDuration = options.CircuitBreakerSamplingDuration,
                    BreakDuration = options.CircuitBreakerBreakDuration,
                    // A host that answers "slow down" is alive; only dead or failing hosts open the circuit.
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Result?.StatusCode is not System.Net.HttpStatusCode.TooManyRequests
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            })
            // One pipeline, and so one circuit, per scheme + host + port: a dead host costs its own deliveries a fast
            // failure, never another host's deliveries their circuit.
            .SelectPipelineByAuthority();
        services.AddSingleton<DeliveryRateLimiter>();
        // Several instances share a PostgreSQL database and so its robots' limits; SQLite has one instance, counted in memory.
        if (postgreSql)
        {
            services.AddSingleton<IRatePermits, DatabaseRatePermits>();
        }
        else
        {
            services.AddSingleton<IRatePermits, MemoryRatePermits>();
        }

        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidation>();
        services.AddSingleton<NetworkGuard>();

        // Every attempt is recorded and logged by the dispatcher; Polly's own telemetry would repeat each failure with a stack trace.
        builder.Logging.AddFilter("Polly", LogLevel.None);

        // The outbox's statements for the database in use.
        if (postgreSql)
        {
            services.AddSingleton<DeliveryStore, PostgreSqlDeliveryStore>();
        }
        else
        {
            services.AddSingleton<DeliveryStore, SqliteDeliveryStore>();
        }
        services.AddSingleton<DeliveryDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());
        services.AddSingleton<DeliveryRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryRetention>());
        return builder;
    }

    /// <summary>Maps <c>/api/v1/deliveries</c>: list with the Deliveries page's filters, get with attempts, redeliver, retry now.</summary>
    public static RouteGroupBuilder MapDeliveriesApi(this RouteGroupBuilder api)
    {
        DeliveriesApi.Map(api);
        return api;
    }
}
