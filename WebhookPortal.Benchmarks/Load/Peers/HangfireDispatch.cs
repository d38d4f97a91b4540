using System.Diagnostics;
using System.Runtime.Loader;
using System.Text;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using SQLite;

namespace WebhookPortal.Benchmarks.Load.Peers;

/// <summary>
/// Scenario b's work done by Hangfire 1.8 (the peer scenarios h and h-pg of docs/benchmarks.md): <c>n</c> jobs, each one
/// <see cref="HangfireDelivery.SendAsync"/> of the same body to the receiver, all enqueued before a
/// <see cref="BackgroundJobServer"/> with as many workers as the portal has attempts in flight starts; measured from the
/// server's start to the last job's success, bounded by a budget. Hangfire's defaults throughout but for the queue poll
/// interval (<see cref="QueuePollInterval"/>, default 15 s) and, on SQLite, <c>synchronous = NORMAL</c> (the portal's own).
/// </summary>
public static class HangfireDispatch
{
    /// <summary>
    /// How long a worker that found the queue empty waits before looking again. Both storages refuse zero (PostgreSQL's
    /// refuses less than 50 ms unless told it is unsafe); with the queue full it never waits at all.
    /// </summary>
    public static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(100);

    private static readonly Lock Gate = new();
    private static bool redirected;

    /// <summary>How many threads enqueue the jobs before the measurement (not measured; only shortens the run).</summary>
    private const int EnqueueThreads = 8;

    /// <summary>
    /// Hangfire.Storage.SQLite on the file <paramref name="path"/> (created), with the connections its own constructor opens
    /// (read-write, no mutex, ticks for dates, 10 s busy timeout) plus <c>PRAGMA synchronous = NORMAL</c>: the portal's
    /// SQLite runs so (WAL, no fsync per commit), and a peer paying for an fsync the portal does not pay would not compare.
    /// </summary>
    public static SQLiteStorage SqliteStorage(string path)
    {
        RedirectSqlitePclRaw();
        return new SQLiteStorage(new SQLiteDbConnectionFactory(() =>
        {
            var connection = new SQLiteConnection(path, SQLiteOpenFlags.ReadWrite | SQLiteOpenFlags.Create | SQLiteOpenFlags.NoMutex, storeDateTimeAsTicks: true)
            {
                BusyTimeout = TimeSpan.FromSeconds(10),
            };
            connection.Execute("PRAGMA synchronous = NORMAL");
            return connection;
        }),
        new SQLiteStorageOptions { QueuePollInterval = QueuePollInterval });
    }

    /// <summary>
    /// Hangfire.Storage.SQLite's sqlite-net (1.11, the only one the feed has) is built against SQLitePCLRaw 3.0, the portal's
    /// Microsoft.Data.Sqlite against 2.1; the benchmark keeps 2.1 (so scenario b measures the SQLite the portal ships) and
    /// .NET refuses to bind a reference to a lower version than it names, so this binds sqlite-net's 3.0 references to the
    /// 2.1 assemblies loaded. Every SQLitePCLRaw member sqlite-net calls (38) has the same signature in both.
    /// </summary>
    private static void RedirectSqlitePclRaw()
    {
        lock (Gate)
        {
            if (redirected)
            {
                return;
            }

            var core = typeof(SQLitePCL.raw).Assembly;
            var provider = typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly;
            AssemblyLoadContext.Default.Resolving += (_, name) =>
                name.Name == core.GetName().Name ? core : name.Name == provider.GetName().Name ? provider : null;
            redirected = true;
        }
    }

    /// <summary>Hangfire.PostgreSql on the (empty) database of <paramref name="connectionString"/>; it creates its schema.</summary>
    public static PostgreSqlStorage PostgreSqlStorage(string connectionString)
    {
        var options = new PostgreSqlStorageOptions { QueuePollInterval = QueuePollInterval };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>
    /// Warms up with <paramref name="warmUp"/> jobs (a server of their own, stopped), enqueues <paramref name="jobs"/>, starts
    /// a server with <paramref name="workers"/> workers and waits for every success or <paramref name="budget"/>, whichever
    /// comes first. Returns the successes a second (counted over the budget when it ran out) and a description; throws when
    /// not one job succeeded.
    /// </summary>
    public static async Task<(double PerSecond, string Detail)> RunAsync(
        JobStorage storage, Receiver receiver, string body, int warmUp, int jobs, int workers, TimeSpan budget, TimeSpan patience)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
        var successes = new SuccessCounter();
        var activator = new OneJobActivator(new HangfireDelivery(http, successes));
        var client = new BackgroundJobClient(storage);
        var url = receiver.BaseUrl + "/hangfire";

        // Warm-up: JIT, the storage's connections, the HTTP connections; a server of its own, so the measured one starts cold
        // on a full queue as b's dispatcher wakes on a full outbox.
        await EnqueueAsync(client, url, body, warmUp);
        var warm = successes.ExpectAsync(warmUp);
        var warmServer = Start(storage, activator, workers);
        try
        {
            await warm.WaitAsync(patience);
        }
        finally
        {
            await StopAsync(warmServer, patience);
        }

        var enqueueWatch = Stopwatch.StartNew();
        await EnqueueAsync(client, url, body, jobs);
        var enqueueSeconds = enqueueWatch.Elapsed.TotalSeconds;

        _ = receiver.ExpectAsync(long.MaxValue);
        var done = successes.ExpectAsync(jobs);
        var cpu = CpuTime();
        var started = Stopwatch.GetTimestamp();
        var server = Start(storage, activator, workers);
        try
        {
            // Bounded: a slow peer is measured over the budget instead of holding the run for as long as it needs.
            var finished = await Task.WhenAny(done, Task.Delay(budget)) == done;
            var sent = finished ? jobs : successes.Count;
            if (sent == 0)
            {
                throw new InvalidOperationException("Not one Hangfire job succeeded within the budget (see the log above).");
            }

            var seconds = Stopwatch.GetElapsedTime(started, finished ? successes.LastAt : Stopwatch.GetTimestamp()).TotalSeconds;
            var cores = (CpuTime() - cpu).TotalSeconds / seconds;
            var detail = $"{jobs:N0} jobs enqueued before the server started (in {enqueueSeconds:F1} s), "
                + (finished ? "all" : $"stopped after the {budget.TotalSeconds:F0} s budget with {sent:N0}")
                + $" succeeded in {seconds:F2} s, {Encoding.UTF8.GetByteCount(body)} B body, {workers} workers, queue poll {QueuePollInterval.TotalMilliseconds:F0} ms";
            if (finished)
            {
                detail += $", {Math.Max(0, receiver.Count - jobs)} received twice";
            }

            detail += $", {cores:F2} of {Environment.ProcessorCount} cores busy";
            return (sent / seconds, detail);
        }
        finally
        {
            await StopAsync(server, patience);
        }
    }

    private static BackgroundJobServer Start(JobStorage storage, JobActivator activator, int workers) =>
        new(new BackgroundJobServerOptions { WorkerCount = workers, Activator = activator, ServerName = "bench-hangfire" }, storage);

    private static async Task StopAsync(BackgroundJobServer server, TimeSpan patience)
    {
        server.SendStop();
        await server.WaitForShutdownAsync(CancellationToken.None).WaitAsync(patience);
        server.Dispose();
    }

    /// <summary>Enqueues <paramref name="count"/> jobs the ordinary way (<c>Enqueue&lt;T&gt;</c>, one storage transaction each).</summary>
    private static async Task EnqueueAsync(BackgroundJobClient client, string url, string body, int count) => await Task.Run(() =>
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = EnqueueThreads },
            _ => client.Enqueue<HangfireDelivery>(job => job.SendAsync(url, body))));

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Hands Hangfire the one job instance (its HTTP client and counter) instead of creating one per job.</summary>
    private sealed class OneJobActivator(HangfireDelivery job) : JobActivator
    {
        public override object ActivateJob(Type jobType) => jobType == typeof(HangfireDelivery) ? job : base.ActivateJob(jobType);
    }
}
