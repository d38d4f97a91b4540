using System.Threading.Channels;

namespace WebhookPortal.Features.Delivery;

/// <summary>
/// Wakes the dispatcher when deliveries are committed, and at the earliest time a delivery it scheduled falls due
/// (<see cref="WakeAt"/>), so a retry wait shorter than the poll interval is kept; many wakes before it looks collapse into one.
/// On PostgreSQL both also wake the other instances' dispatchers (<see cref="Operations.PostgreSqlNotifications"/>).
/// </summary>
public sealed class DeliverySignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock gate = new();

    // UTC ticks of the earliest known due time not yet reached; MaxValue when none is known.
    private long earliestDue = long.MaxValue;

    // UTC ticks at which the wait in progress ends by itself (poll interval or earliest due); MinValue while the dispatcher
    // is not waiting (it measures its next wait to earliestDue).
    private long waitEnd = long.MinValue;

    /// <summary>Passes each wake on to the other instances (null: now; else the due time); set on PostgreSQL only.</summary>
    internal Action<DateTime?>? Relay { get; set; }

    /// <summary>Asks the dispatcher, and on PostgreSQL every other instance's, to look for due deliveries now.</summary>
    public void Wake()
    {
        WakeHere();
        Relay?.Invoke(null);
    }

    /// <summary>
    /// Asks the dispatcher to look for due deliveries at <paramref name="due"/> (UTC, on the dispatcher's clock) at the latest,
    /// e.g. a retry scheduled sooner than the poll interval. A time before the end of the wait in progress ends that wait, so
    /// the next one is measured to it; a later one (a retry an hour away) changes nothing, the dispatcher looks by then
    /// anyway. On PostgreSQL the other instances are told such an earlier time too.
    /// </summary>
    public void WakeAt(DateTime due)
    {
        if (WakeAtHere(due))
        {
            Relay?.Invoke(due);
        }
    }

    /// <summary>Wakes this instance's dispatcher only: another instance announced the work.</summary>
    internal void WakeHere() => channel.Writer.TryWrite(true);

    /// <summary>
    /// <see cref="WakeAt"/> for this instance's dispatcher only; true when <paramref name="due"/> comes before this dispatcher
    /// would look anyway: before the end of the wait in progress (which is woken, so the next wait is measured to it), or,
    /// while the dispatcher is not waiting, before the earliest due time it knows. False when it looks by then anyway.
    /// </summary>
    internal bool WakeAtHere(DateTime due)
    {
        var ticks = due.Ticks;
        lock (gate)
        {
            var before = ticks < earliestDue;
            earliestDue = Math.Min(earliestDue, ticks);
            if (waitEnd == long.MinValue)
            {
                return before;
            }

            if (!before || ticks >= waitEnd)
            {
                return false;
            }
        }

        WakeHere();
        return true;
    }

    /// <summary>
    /// Waits until <see cref="Wake"/> is called, <paramref name="timeout"/> passes on <paramref name="time"/>, or the earliest
    /// time given to <see cref="WakeAt"/> comes, whichever is first.
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (channel.Reader.TryRead(out _))
        {
            return;
        }

        lock (gate)
        {
            var now = time.GetUtcNow().UtcDateTime.Ticks;
            if (earliestDue != long.MaxValue)
            {
                var untilDue = TimeSpan.FromTicks(Math.Max(earliestDue - now, 0));
                timeout = untilDue < timeout ? untilDue : timeout;
            }

            waitEnd = timeout.Ticks >= long.MaxValue - now ? long.MaxValue : now + Math.Max(timeout.Ticks, 0);
        }

        try
        {
            if (timeout > TimeSpan.Zero)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var woken = channel.Reader.WaitToReadAsync(linked.Token).AsTask();
                var elapsed = Task.Delay(timeout, time, linked.Token);
                await Task.WhenAny(woken, elapsed);
                await linked.CancelAsync();
                channel.Reader.TryRead(out _);
            }
        }
        finally
        {
            lock (gate)
            {
                waitEnd = long.MinValue;
                // Reached: the look that follows finds it due. A time still ahead stays, to measure the next wait to.
                if (earliestDue <= time.GetUtcNow().UtcDateTime.Ticks)
                {
                    earliestDue = long.MaxValue;
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
