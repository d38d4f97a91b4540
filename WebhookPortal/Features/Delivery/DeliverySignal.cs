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

    // UTC ticks of the earliest known due time not yet reached; MaxValue when none is known.
    private long earliestDue = long.MaxValue;

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
    /// e.g. a retry scheduled sooner than the poll interval. A time earlier than every one known ends the current wait, so
    /// the next one is measured to it. On PostgreSQL the other instances are told such a time too.
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
    /// <see cref="WakeAt"/> for this instance's dispatcher only; true when <paramref name="due"/> became the earliest known
    /// time (the wait was woken), false when an earlier one is known already.
    /// </summary>
    internal bool WakeAtHere(DateTime due)
    {
        var ticks = due.Ticks;
        var known = Interlocked.Read(ref earliestDue);
        while (ticks < known)
        {
            var seen = Interlocked.CompareExchange(ref earliestDue, ticks, known);
            if (seen == known)
            {
                WakeHere();
                return true;
            }

            known = seen;
        }

        return false;
    }

    /// <summary>
    /// Waits until <see cref="Wake"/> is called, <paramref name="timeout"/> passes on <paramref name="time"/>, or the earliest
    /// time given to <see cref="WakeAt"/> comes, whichever is first.
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (channel.Reader.TryRead(out _))
        {
            return;
        }

        var due = Interlocked.Read(ref earliestDue);
        if (due != long.MaxValue)
        {
            var untilDue = new DateTime(due, DateTimeKind.Utc) - time.GetUtcNow().UtcDateTime;
            timeout = untilDue < timeout ? (untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero) : timeout;
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
            // Reached: the look that follows finds it due. A later WakeAt of an earlier time has replaced it and stays.
            if (due != long.MaxValue && time.GetUtcNow().UtcDateTime.Ticks >= due)
            {
                Interlocked.CompareExchange(ref earliestDue, long.MaxValue, due);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
