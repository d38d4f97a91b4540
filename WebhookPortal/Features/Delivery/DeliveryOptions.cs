namespace WebhookPortal.Features.Delivery;

/// <summary>Settings under <c>Webhooks:Delivery</c>; defaults as in docs/architecture.md, "Delivery states".</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Webhooks:Delivery";

    /// <summary>Longest wait for one HTTP exchange. Default 15 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Quick in-attempt retries on transient errors (connection refused, 5xx, timeout). Default 2.</summary>
    public int QuickRetries { get; set; } = 2;

    /// <summary>Delay between quick retries; it doubles each time. Default 200 ms.</summary>
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The retry schedule used when none is configured: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// Waits after each failed attempt; when they run out the delivery is Failed. Default <see cref="DefaultRetrySchedule"/>.
    /// </summary>
    /// <remarks>
    /// Starts empty and gets the default in post-configuration: the configuration binder appends configured array items
    /// to an initialised array instead of replacing it, so a configured schedule would otherwise follow the default one.
    /// </remarks>
    public TimeSpan[] RetrySchedule { get; set; } = [];

    /// <summary>How far a scheduled wait may move either way, as a fraction, so retries after an outage do not arrive together. Default 0.2 (±20 %).</summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>The shortest wait after a 429 or 503, with or without Retry-After. Default 60 s.</summary>
    public TimeSpan MinRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest Retry-After obeyed; a longer one is cut to this. Default 24 h.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most attempts in flight at once. Default 16.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// Most attempts in flight at once to one webhook, so one webhook's backlog cannot take every worker. Default 4.
    /// </summary>
    public int MaxConcurrencyPerWebhook { get; set; } = 4;

    /// <summary>
    /// Consecutive-ish failures (connection refused, timeout, 5xx) within <see cref="CircuitBreakerSamplingDuration"/> after
    /// which a host's circuit opens: the minimum throughput of Polly's circuit breaker, all of them failures. Default 10.
    /// </summary>
    public int CircuitBreakerFailures { get; set; } = 10;

    /// <summary>The window in which <see cref="CircuitBreakerFailures"/> are counted. Default 60 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit fails attempts to its host at once before one is let through to test it. Default 30 s.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The rate limits per target, each counted per webhook; a delivery over a limit waits without an attempt being counted.
    /// Default <see cref="DefaultRateLimits"/>; a target configured here replaces its default
    /// (<c>Webhooks:Delivery:RateLimits:WeCom:0:Permits</c>, <c>…:Window</c>; Permits 0 turns a limit off).
    /// </summary>
    public Dictionary<WebhookTarget, RateLimitRule[]> RateLimits { get; set; } = [];

    /// <summary>
    /// The platforms' published limits, as each target declares them (<see cref="TargetDefinition.RateLimits"/>, listed in
    /// docs/targets.md): WeCom and DingTalk 20 a minute, Feishu/Lark 5 a second and 100 a minute, Slack 1 a second.
    /// </summary>
    public static IReadOnlyDictionary<WebhookTarget, RateLimitRule[]> DefaultRateLimits { get; } = WebhookTargets.All
        .Where(d => d.RateLimits.Count > 0)
        .ToDictionary(d => d.Target, d => d.RateLimits.Select(r => new RateLimitRule(r.Permits, r.Window)).ToArray());

    /// <summary>
    /// How long a claimed delivery belongs to this process. A delivery leased by a process that died is sent again when the
    /// lease expires, or at once when a process of the same <see cref="InstanceId"/> starts. Default 2 min.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest <see cref="InstanceId"/>, in characters (<see cref="Operations.PortalInstance.NameMaxLength"/>).</summary>
    public const int InstanceIdMaxLength = Operations.PortalInstance.NameMaxLength;

    /// <summary>
    /// The instance's name (<see cref="Operations.PortalInstance"/>: <c>Portal:InstanceName</c>, or this section's older
    /// <c>InstanceId</c> when that is unset, or a default stable for one installation), always set from it. Leases are owned by
    /// <c>{InstanceId}/{process id}-{random}</c>, and at start-up the dispatcher releases every lease of its instance held by
    /// another process, which can only be an earlier life of it that ended without releasing them (a crash, a kill), so a
    /// restart resumes at once instead of waiting for them to expire. Processes that share the database at the same time
    /// need different names. At most <see cref="InstanceIdMaxLength"/> characters, no <c>/</c>.
    /// </summary>
    public string InstanceId { get; set; } = "";

    /// <summary>How often the dispatcher looks for due deliveries when nothing wakes it. Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Extra time the dispatcher's heartbeat may lag before <c>/health</c> calls it stuck (a claim waiting on a busy
    /// database). Default 30 s.
    /// </summary>
    public TimeSpan HeartbeatGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old the dispatcher's last heartbeat may be while it counts as alive: 2 × <see cref="PollInterval"/> + <see cref="HeartbeatGrace"/>.</summary>
    public TimeSpan HeartbeatStaleAfter => PollInterval * 2 + HeartbeatGrace;

    /// <summary>The longest one attempt can take: every quick try timing out, the delays between them, then the body read.</summary>
    public TimeSpan LongestAttempt =>
        AttemptTimeout * (QuickRetries + 2) + QuickRetryDelay * (Math.Pow(2, QuickRetries) - 1) * 1.5;

    /// <summary>A webhook failing without a success for this long (and <see cref="AutoDisableAttempts"/> times) is disabled. Default 24 h.</summary>
    public TimeSpan AutoDisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The fewest failed attempts before a webhook can be auto-disabled; 0 turns auto-disable off. Default 10.</summary>
    public int AutoDisableAttempts { get; set; } = 10;

    /// <summary>How long succeeded deliveries are kept. Default 30 days.</summary>
    public TimeSpan KeepSucceeded { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long failed and cancelled deliveries are kept. Default 90 days.</summary>
    public TimeSpan KeepFailed { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long after start-up the first daily purge runs. Default 1 min.</summary>
    public TimeSpan PurgeStartDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most response bytes read. Default 64 KB.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}

/// <summary>At most <see cref="Permits"/> requests in any <see cref="Window"/> (a sliding window).</summary>
public sealed class RateLimitRule
{
    public RateLimitRule()
    {
    }

    public RateLimitRule(int permits, TimeSpan window) => (Permits, Window) = (permits, window);

    /// <summary>Requests allowed per window; 0 turns the rule off.</summary>
    public int Permits { get; set; }

    /// <summary>The window's length.</summary>
    public TimeSpan Window { get; set; }
}
