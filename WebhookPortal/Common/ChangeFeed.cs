namespace WebhookPortal.Common;

/// <summary>
/// Tells open pages that something changed in the background (a delivery was attempted, a message arrived), so they
/// reload. Pages subscribe in <c>OnInitialized</c>, call <c>InvokeAsync</c> in the handler, and dispose the subscription.
/// </summary>
public abstract class ChangeFeed
{
    private readonly Lock gate = new();
    private Func<Task>[] subscribers = [];

    /// <summary>Adds <paramref name="onChange"/>; dispose the result to remove it.</summary>
    public IDisposable Subscribe(Func<Task> onChange)
    {
        lock (gate)
        {
            subscribers = [.. subscribers, onChange];
        }

        return new Subscription(() =>
        {
            lock (gate)
            {
                subscribers = [.. subscribers.Where(s => s != onChange)];
            }
        });
    }

    /// <summary>
    /// Tells every subscriber, without waiting for them: a page reload must never hold up the dispatcher or an HTTP answer.
    /// A failing subscriber (a closed circuit) does not affect the others.
    /// </summary>
    public void Publish()
    {
        foreach (var subscriber in Volatile.Read(ref subscribers))
        {
            _ = NotifyAsync(subscriber);
        }
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
