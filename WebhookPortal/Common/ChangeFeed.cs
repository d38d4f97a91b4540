using System.Globalization;

namespace WebhookPortal.Common;

/// <summary>
/// Tells open pages that something changed in the background (a delivery was attempted, a message arrived), so they
/// reload. Pages subscribe in <c>OnInitialized</c>, call <c>InvokeAsync</c> in the handler, and dispose the subscription.
/// Each handler runs under the culture its subscriber had when subscribing (a circuit's language), not the publishing
/// thread's: the re-render it triggers reads its texts in that culture. On PostgreSQL a publish also reaches the other
/// instances' subscribers (<see cref="Features.Operations.PostgreSqlNotifications"/>).
/// </summary>
public abstract class ChangeFeed
{
    private readonly Lock gate = new();
    private Func<Task>[] subscribers = [];

    /// <summary>Adds <paramref name="onChange"/>, to run under the caller's current culture and UI culture; dispose the result to remove it.</summary>
    public IDisposable Subscribe(Func<Task> onChange)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        Func<Task> subscriber = () => InCultureAsync(culture, uiCulture, onChange);
        lock (gate)
        {
            subscribers = [.. subscribers, subscriber];
        }

        return new Subscription(() =>
        {
            lock (gate)
            {
                subscribers = [.. subscribers.Where(s => s != subscriber)];
            }
        });
    }

    /// <summary>Passes each publish on to the other instances; set on PostgreSQL only.</summary>
    internal Action? Relay { get; set; }

    /// <summary>
    /// Tells every subscriber, without waiting for them: a page reload must never hold up the dispatcher or an HTTP answer.
    /// A failing subscriber (a closed circuit) does not affect the others. On PostgreSQL the other instances' subscribers
    /// are told too, soon after (sent in the background, bursts coalesced).
    /// </summary>
    public void Publish()
    {
        PublishHere();
        Relay?.Invoke();
    }

    /// <summary>Tells this instance's subscribers only: another instance announced the change.</summary>
    internal void PublishHere()
    {
        foreach (var subscriber in Volatile.Read(ref subscribers))
        {
            _ = NotifyAsync(subscriber);
        }
    }

    // Culture flows with the execution context (InvokeAsync included); set inside an async method, it stays inside it.
    private static async Task InCultureAsync(CultureInfo culture, CultureInfo uiCulture, Func<Task> handler)
    {
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = uiCulture;
        await handler();
    }

    private static async Task NotifyAsync(Func<Task> subscriber)
    {
        try
        {
            await subscriber();
        }
        catch (Exception)
        {
            // A page whose circuit went away; it unsubscribes when disposed.
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref dispose, null)?.Invoke();
    }
}
