namespace WebhookPortal.Features.Delivery;

/// <summary>
/// When the dispatcher's loop last went round: it beats at the top of every iteration (at least once per poll interval),
/// so a loop that hangs or died shows as a beat growing old. Read by the <c>/health</c> check.
/// </summary>
public sealed class DispatcherHeartbeat(TimeProvider time)
{
    // Starts at creation, so a dispatcher that never starts turns stale like one that stopped.
    private long lastBeatTicks = time.GetUtcNow().UtcTicks;

    /// <summary>The last beat (UTC); the creation time before the first.</summary>
    public DateTimeOffset LastBeat => new(Interlocked.Read(ref lastBeatTicks), TimeSpan.Zero);

    /// <summary>Records that the loop is alive now.</summary>
    public void Beat() => Interlocked.Exchange(ref lastBeatTicks, time.GetUtcNow().UtcTicks);
}
