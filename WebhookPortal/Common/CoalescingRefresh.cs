namespace WebhookPortal.Common;

/// <summary>
/// Runs a page's refresh for a burst of <see cref="ChangeFeed"/> notices at most twice: once now and once more if
/// notices arrived while it ran. A busy dispatcher publishes after every attempt; a page needs the latest state, not each step.
/// </summary>
public sealed class CoalescingRefresh(Func<Task> refresh)
{
    private int running;
    private int again;

    /// <summary>Asks for a refresh; returns at once when one is running (it runs again after).</summary>
    public async Task RequestAsync()
    {
        Volatile.Write(ref again, 1);
        while (Volatile.Read(ref again) == 1 && Interlocked.Exchange(ref running, 1) == 0)
        {
            try
            {
                while (Interlocked.Exchange(ref again, 0) == 1)
                {
                    await refresh();
                }
            }
            finally
            {
                Volatile.Write(ref running, 0);
            }
        }
    }
}
