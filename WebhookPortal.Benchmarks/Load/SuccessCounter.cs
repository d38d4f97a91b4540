using System.Diagnostics;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>
/// Successful attempts recorded by one or more <see cref="PortalHost"/>s (shared by the instances of one database, so a
/// scenario can wait for the n-th success whichever instance records it).
/// </summary>
public sealed class SuccessCounter
{
    private long count;
    private long target = long.MaxValue;
    private TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Successes since the last <see cref="ExpectAsync"/>.</summary>
    public long Count => Interlocked.Read(ref count);

    /// <summary>The <see cref="Stopwatch"/> timestamp of the last success counted.</summary>
    public long LastAt { get; private set; }

    /// <summary>Resets the count; the task completes when <paramref name="successes"/> more are counted.</summary>
    public Task ExpectAsync(long successes)
    {
        reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref count, 0);
        Interlocked.Exchange(ref target, successes);
        return reached.Task;
    }

    /// <summary>Counts <paramref name="successes"/> recorded just now.</summary>
    public void Add(long successes)
    {
        LastAt = Stopwatch.GetTimestamp();
        if (Interlocked.Add(ref count, successes) == Interlocked.Read(ref target))
        {
            reached.TrySetResult();
        }
    }
}
