using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>
/// The class fixture of <see cref="MultiInstanceTests"/>: three portal processes on one PostgreSQL database
/// (<see cref="PortalCluster"/>), with a short lease so that a killed instance's deliveries are taken over within seconds,
/// and a small WeCom rate limit (<see cref="WeComPermits"/> an hour) that only the WeCom webhooks meet.
/// </summary>
public sealed class MultiInstanceCluster : IAsyncLifetime
{
    /// <summary>How many instances run.</summary>
    public const int Instances = 3;

    /// <summary>WeCom requests allowed per webhook in an hour, for the whole installation.</summary>
    public const int WeComPermits = 2;

    /// <summary>
    /// How long a claim belongs to its instance: short enough to wait out after a kill, and as the portal requires, 10 s
    /// longer than the longest attempt (<see cref="AttemptTimeout"/> twice, without quick retries), so a live instance's
    /// attempt never outlives its lease and is sent twice.
    /// </summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait for one HTTP exchange: long, because the first test counts one attempt per delivery and a machine
    /// busy with other work has kept the loopback receiver from answering for more than 2 s.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long starting the instances (at once, on a 2-core machine shared with other work) may take.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private PortalCluster? cluster;

    /// <summary>The running cluster.</summary>
    public PortalCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster did not start.");

    public async Task InitializeAsync() =>
        cluster = await PortalCluster.StartAsync(Instances, StartTimeout, new Dictionary<string, string>
        {
            ["Webhooks__Delivery__LeaseDuration"] = LeaseDuration.ToString("c"),
            ["Webhooks__Delivery__AttemptTimeout"] = AttemptTimeout.ToString("c"),
            ["Webhooks__Delivery__RateLimits__WeCom__0__Permits"] = WeComPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Webhooks__Delivery__RateLimits__WeCom__0__Window"] = "01:00:00",
        });

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
