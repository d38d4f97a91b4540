namespace WebhookPortal.Features.Users;

/// <summary>
/// Runs password hashes — Identity's PBKDF2 (HMAC-SHA512, 100,000 iterations: tens of milliseconds of CPU each) — on threads
/// of their own, at most <c>width</c> at once; callers over the bound wait asynchronously, holding no thread.
/// <para>
/// A hash is one synchronous call. Run on the thread pool, a burst of user creations or sign-ins (50 API clients at once)
/// queues one such work item per request, and every other continuation in the process — the delivery dispatcher's claims,
/// HTTP exchanges and records among them — waits behind all of them: the deliveries of a 30 s burst then arrived only after
/// it (docs/benchmarks.md, scenario g). Off the pool and bounded, hashing still uses every core the machine can spare, while
/// the pool's short work items keep running and the operating system's scheduler gives them the CPU as soon as they wake.
/// </para>
/// </summary>
/// <param name="width">Hashes at once, at least 1.</param>
public sealed class PasswordHashingGate(int width) : IDisposable
{
    private readonly SemaphoreSlim slots = new(Math.Max(1, width), Math.Max(1, width));

    /// <summary>
    /// One hash per core but one, at least one: a core is always left to the rest of the portal. Hashing threads are
    /// ordinary threads, so the operating system shares the cores between them and the delivery dispatcher's continuations
    /// evenly; with a hash on every core, a burst of creations (or a busy machine) left the dispatcher a fraction of a core
    /// and its deliveries waited hundreds of milliseconds (docs/benchmarks.md, "Latency: where the tail comes from"). On two
    /// cores that is one hash at a time, which caps creations with a password near one core's worth of hashing.
    /// </summary>
    public static int DefaultWidth => Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Runs <paramref name="hashing"/> on a thread of its own once a slot is free. The work runs there until its first
    /// incomplete await (Identity's hashing and verifying complete synchronously), then continues as usual.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled while waiting for a slot.</exception>
    public async Task<T> RunAsync<T>(Func<Task<T>> hashing, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Factory.StartNew(hashing, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }
        finally
        {
            slots.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => slots.Dispose();
}
