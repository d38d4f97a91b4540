using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire.Logging;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebhookPortal.Benchmarks.Load.Peers;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>How big each load scenario is.</summary>
/// <param name="ApiLoadDuration">How long scenario g's clients create users.</param>
/// <param name="ApiCreatesPerSecond">Scenario g's target rate of user creations, all clients together.</param>
public sealed record LoadSizes(
    int WireRequests, int DispatchDeliveries, int LatencyUsers, double LatencyUsersPerSecond, int OverheadRounds,
    int FanOutWebhooks, int FanOutRounds, int MemoryPending, TimeSpan MemoryObserve, TimeSpan DispatchBudget,
    TimeSpan ApiLoadDuration, double ApiCreatesPerSecond)
{
    /// <summary>The sizes the issue asks for.</summary>
    public static LoadSizes Full { get; } = new(20_000, 20_000, 200, 10, 15, 1_000, 3, 100_000, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(2),
        TimeSpan.FromSeconds(30), 32);

    /// <summary>Every scenario small, for the CI smoke run.</summary>
    public static LoadSizes Quick { get; } = new(500, 300, 10, 10, 2, 50, 1, 2_000, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(3), 32);
}

/// <summary>
/// The load scenarios a–g of docs/benchmarks.md, each on a fresh portal (its own SQLite file; b-pg and b-pg3 a fresh
/// PostgreSQL database) and a real Kestrel receiver, one after another in this process. Every wait is bounded; a scenario
/// that does not finish throws.
/// </summary>
/// <param name="repeat">How many times a and the dispatch scenarios (b, b-pg, b-pg3) are measured, in turns; each reports
/// the median, with the range.</param>
public sealed class LoadScenarios(LoadSizes sizes, RunResults results, TextWriter log, IReadOnlySet<string>? only = null, int repeat = 1)
{
    private const int WebhooksForDispatch = 50;
    private const int WebhooksForLatency = 10;
    private const int WebhooksForMemory = 100;
    private const int WebhooksForApiLoad = 5;
    private static readonly string[] CreatedOnly = ["Created"];
    private const int ApiClients = 50;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>How long a scenario in its own process may take: f writes 100,000 rows, minutes on a machine busy with other work.</summary>
    private static readonly TimeSpan ChildPatience = TimeSpan.FromMinutes(15);

    /// <summary>The engine's concurrency, from the portal's own defaults.</summary>
    private static readonly int Concurrency = new DeliveryOptions().MaxConcurrency;

    /// <summary>The default body as the portal renders it, the size every scenario sends.</summary>
    private static readonly string SampleBody = TemplateRenderer.RenderBody(
        null, TemplateValues.For(TemplateSamples.For(UserAction.Created, DateTime.UtcNow), TemplateSamples.ClientId, "bench-0000"));

    /// <summary>The dispatch scenario's databases: SQLite (one instance at most), PostgreSQL with one and with three instances.</summary>
    private static readonly DispatchStore[] DispatchStores =
    [
        new("b", "SQLite, 1 instance", PostgreSql: false, Instances: 1),
        new("b-pg", "PostgreSQL, 1 instance", PostgreSql: true, Instances: 1),
        new("b-pg3", "PostgreSQL, 3 instances", PostgreSql: true, Instances: 3),
    ];

    /// <summary>The peer scenarios: Hangfire doing b's work on SQLite and on PostgreSQL, each beside the variant of b it is compared with.</summary>
    private static readonly PeerStore[] PeerStores =
    [
        new("h", "Hangfire 1.8, SQLite", PostgreSql: false, Versus: "b"),
        new("h-pg", "Hangfire 1.8, PostgreSQL", PostgreSql: true, Versus: "b-pg"),
    ];

    /// <summary>The throwaway PostgreSQL server of this run, while a PostgreSQL scenario runs.</summary>
    private PostgreSqlCluster? postgres;

    /// <summary>Runs a–g in order (a and the dispatch scenarios <see cref="repeat"/> times in turns).</summary>
    public async Task RunAsync()
    {
        await WireAndDispatchAsync();

        if (Wanted("c"))
        {
            await Step("c. latency", LatencyAsync);
        }

        if (Wanted("d"))
        {
            await Step("d. user-change overhead", OverheadAsync);
        }

        if (Wanted("e"))
        {
            await Step("e. fan-out", FanOutAsync);
        }

        if (Wanted("f"))
        {
            await Step("f. memory, in its own process", () => InChildAsync("f"));
        }

        if (Wanted("g"))
        {
            await Step("g. API load", ApiLoadAsync);
        }
    }

    private bool Wanted(string scenario) => only is null || only.Contains(scenario);

    /// <summary>The argument that makes the program run one scenario alone (<see cref="RunChildAsync"/>), followed by its name.</summary>
    public const string ChildArgument = "--child";

    /// <summary>The argument naming the JSON file (<see cref="RunResults.WriteJson"/>) a child writes its results to.</summary>
    public const string ChildResultsArgument = "--child-results";

    /// <summary>
    /// Runs <paramref name="scenario"/> alone, in the process a parent run started for it (<see cref="InChildAsync"/>): only
    /// <c>f</c>, whose working set must be the engine's, not that of the scenarios before it.
    /// </summary>
    /// <exception cref="ArgumentException">Another scenario.</exception>
    public Task RunChildAsync(string scenario) => scenario switch
    {
        "f" => Step("f. memory", MemoryAsync),
        _ => throw new ArgumentException($"Scenario {scenario} does not run in a process of its own.", nameof(scenario)),
    };

    /// <summary>
    /// Runs <paramref name="scenario"/> in a new process of this program (the same executable, or <c>dotnet</c> with the same
    /// assembly; the same sizes and environment, so the same GC settings), its output shown indented, and adds the results it
    /// writes to a temp file. Throws when it fails or outlasts <see cref="ChildPatience"/> (and ends it then).
    /// </summary>
    private async Task InChildAsync(string scenario)
    {
        var file = Path.Combine(Path.GetTempPath(), $"webhookportal-bench-{scenario}-{Guid.NewGuid():N}.json");
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("This process's executable is unknown.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Started as `dotnet WebhookPortal.Benchmarks.dll`: the child is the same assembly under the same host.
            start.ArgumentList.Add(typeof(LoadScenarios).Assembly.Location);
        }

        foreach (var argument in (string[])[ChildArgument, scenario, ChildResultsArgument, file, .. sizes == LoadSizes.Quick ? ["--quick"] : Array.Empty<string>()])
        {
            start.ArgumentList.Add(argument);
        }

        var output = new Lock();
        void Show(object sender, DataReceivedEventArgs line)
        {
            if (line.Data is not null)
            {
                lock (output)
                {
                    log.WriteLine("   | " + line.Data);
                }
            }
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"{host} did not start.");
        child.OutputDataReceived += Show;
        child.ErrorDataReceived += Show;
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            await child.WaitForExitAsync().WaitAsync(ChildPatience);
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"Scenario {scenario} in its own process ended with exit code {child.ExitCode} (its output is above).");
            }

            results.AddFrom(file);
        }
        catch (TimeoutException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// a, then b, b-pg, b-pg3 and the Hangfire peers h and h-pg as wanted, all of them once per round, <see cref="repeat"/>
    /// rounds: taking turns spreads a shared machine's drift over every variant. Each ratio to the wire is taken within its
    /// round, then the median.
    /// </summary>
    private async Task WireAndDispatchAsync()
    {
        var stores = DispatchStores.Where(s => Wanted(s.Scenario)).ToList();
        var peers = PeerStores.Where(p => Wanted(p.Scenario)).ToList();
        // The ratios need a, so a runs whenever a dispatch scenario does.
        if (!Wanted("a") && stores.Count == 0 && peers.Count == 0)
        {
            return;
        }

        if (stores.Any(s => s.PostgreSql) || peers.Any(p => p.PostgreSql))
        {
            log.WriteLine("-- PostgreSQL 15: starting a throwaway server");
            postgres = await PostgreSqlCluster.AcquireAsync();
        }

        try
        {
            var wire = new List<double>();
            var wireDetail = "";
            var dispatch = stores.ToDictionary(s => s, _ => new List<Dispatched>());
            var peerRuns = peers.ToDictionary(p => p, _ => new List<Dispatched>());
            for (var round = 1; round <= repeat; round++)
            {
                var of = repeat > 1 ? $" (run {round} of {repeat})" : "";
                var (perSecond, detail) = await Step("a. wire limit" + of, WireLimitAsync);
                wire.Add(perSecond);
                wireDetail = detail;
                foreach (var store in stores)
                {
                    var run = await Step($"{store.Scenario}. dispatch, {store.Name}{of}", () => DispatchAsync(store));
                    dispatch[store].Add(run with { Ratio = run.PerSecond / perSecond });
                }

                foreach (var peer in peers)
                {
                    var run = await Step($"{peer.Scenario}. peer, {peer.Name}{of}", () => HangfireAsync(peer));
                    peerRuns[peer].Add(run with { Ratio = run.PerSecond / perSecond });
                }
            }

            results.Add("a", "wire limit: plain HttpClient POST", Median(wire), "requests/s", Spread(wire) + wireDetail);
            foreach (var (store, runs) in dispatch)
            {
                var rates = runs.Select(r => r.PerSecond).ToList();
                var ratios = runs.Select(r => r.Ratio).ToList();
                var ratio = Median(ratios);
                results.Add(store.Scenario, $"dispatch, {store.Name}: deliveries sent and recorded", Median(rates), "deliveries/s", Spread(rates) + runs[^1].Detail);
                // One instance: five times the ratio measured before the hot path left EF Core (0.04 SQLite, 0.03 PostgreSQL).
                var target = store.Instances > 1 ? (double?)null : store.PostgreSql ? 0.15 : 0.2;
                results.Add(store.Scenario + "/a", $"dispatch, {store.Name} ÷ wire limit", ratio, "ratio", Spread(ratios).TrimEnd(' ', ';'),
                    target is { } t ? $">= {t:0.##}" : "", target is { } least ? ratio >= least : null);
            }

            var one = dispatch.FirstOrDefault(d => d.Key.PostgreSql && d.Key.Instances == 1).Value;
            var three = dispatch.FirstOrDefault(d => d.Key.PostgreSql && d.Key.Instances == 3).Value;
            if (one is not null && three is not null)
            {
                var scaling = Median([.. three.Select(r => r.PerSecond)]) / Median([.. one.Select(r => r.PerSecond)]);
                results.Add("b-pg3/b-pg", "three instances ÷ one, PostgreSQL", scaling, "ratio",
                    $"median ÷ median; {Environment.ProcessorCount} cores shared by the instances, the receiver and the server", ">= 1.5", scaling >= 1.5);
            }

            AddPeerResults(dispatch, peerRuns);
        }
        finally
        {
            if (postgres is not null)
            {
                postgres = null;
                await PostgreSqlCluster.ReleaseAsync();
            }
        }
    }

    /// <summary>"median of n runs (low–high); " for several values, nothing for one.</summary>
    private static string Spread(List<double> values) => values.Count < 2
        ? ""
        : $"median of {values.Count} runs ({RunResults.Format(values.Min())}–{RunResults.Format(values.Max())}); ";

    private async Task<T> Step<T>(string name, Func<Task<T>> scenario)
    {
        log.WriteLine($"-- {name}");
        var watch = Stopwatch.StartNew();
        var value = await scenario();
        log.WriteLine($"   ({watch.Elapsed.TotalSeconds:F1} s)");
        return value;
    }

    private async Task Step(string name, Func<Task> scenario) => await Step(name, async () =>
    {
        await scenario();
        return 0;
    });

    /// <summary>a. A plain HttpClient posting the same body at the engine's concurrency: what the HTTP stack can do here.</summary>
    private async Task<(double PerSecond, string Detail)> WireLimitAsync()
    {
        await using var receiver = await Receiver.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
        var url = new Uri(receiver.BaseUrl + "/wire");
        var body = Encoding.UTF8.GetBytes(SampleBody);

        async Task PostAsync()
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await http.PostAsync(url, content);
            response.EnsureSuccessStatusCode();
        }

        async Task LoopAsync(int requests)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < requests)
                {
                    await PostAsync();
                }
            })));
        }

        await LoopAsync(Math.Min(500, sizes.WireRequests));
        var cpu = CpuTime();
        var watch = Stopwatch.StartNew();
        await LoopAsync(sizes.WireRequests).WaitAsync(Patience);
        var perSecond = sizes.WireRequests / watch.Elapsed.TotalSeconds;
        var cores = (CpuTime() - cpu).TotalSeconds / watch.Elapsed.TotalSeconds;
        return (perSecond, $"{sizes.WireRequests:N0} requests, {Concurrency} concurrent, {body.Length} B body, {cores:F2} of {Environment.ProcessorCount} cores busy");
    }

    /// <summary>
    /// b. Deliveries already in the outbox, sent by the real dispatcher: from the wake to the last recorded success. On
    /// PostgreSQL with several instances, every instance is a whole portal host in this process on the same fresh database,
    /// all woken at once, competing for the same rows.
    /// </summary>
    private async Task<Dispatched> DispatchAsync(DispatchStore store)
    {
        await using var receiver = await Receiver.StartAsync();
        var successes = new SuccessCounter();
        var hosts = new List<PortalHost>();
        var database = store.PostgreSql ? await Postgres.CreateDatabaseAsync("benchdispatch") : null;
        try
        {
            for (var i = 1; i <= store.Instances; i++)
            {
                // One after another: the first migrates the new database, the next wait for its start-up lock and find it done.
                hosts.Add(await PortalHost.StartAsync(database is null ? null : PostgreSqlSettings(database, i), successes));
            }

            var first = hosts[0];
            var webhooks = await first.AddWebhooksAsync(WebhooksForDispatch, receiver.BaseUrl + "/dispatch", "bench-dispatch");

            // Warm-up: JIT, the connection pools, the resilience pipelines (of every instance, as far as each claims some).
            await DrainAsync(hosts, webhooks, Math.Min(100, sizes.DispatchDeliveries));

            var deliveries = sizes.DispatchDeliveries;
            await EnqueueAsync(first, webhooks, deliveries, oneTransaction: true);
            var before = hosts.Select(h => h.SucceededHere).ToList();
            _ = receiver.ExpectAsync(long.MaxValue);
            var done = successes.ExpectAsync(deliveries);
            var cpu = CpuTime();
            var serverCpu = store.PostgreSql ? ServerCpuTime() : TimeSpan.Zero;
            var allocated = GC.GetTotalAllocatedBytes();
            var started = Stopwatch.GetTimestamp();
            foreach (var host in hosts)
            {
                host.Services.GetRequiredService<DeliverySignal>().Wake();
            }

            // Bounded: a slow engine is measured over the budget instead of holding the run for as long as it needs.
            var finished = await Task.WhenAny(done, Task.Delay(sizes.DispatchBudget)) == done;
            var sent = finished ? deliveries : successes.Count;
            if (sent == 0)
            {
                throw new InvalidOperationException("Not one delivery succeeded within the budget: the engine is not delivering (see the log above).");
            }

            var seconds = Stopwatch.GetElapsedTime(started, finished ? successes.LastAt : Stopwatch.GetTimestamp()).TotalSeconds;
            var perSecond = sent / seconds;
            var cpuUsed = CpuTime() - cpu;
            var cores = cpuUsed.TotalSeconds / seconds;
            // The whole process's cost of one delivery (the receiver's and, in process, the database's included).
            var perDelivery = $"{cpuUsed.TotalMicroseconds / sent:N0} µs CPU and {(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / sent:N1} KiB allocated per delivery";
            var detail = $"{deliveries:N0} pre-enqueued across {WebhooksForDispatch} webhooks, "
                + (finished ? "all" : $"stopped after the {sizes.DispatchBudget.TotalSeconds:F0} s budget with {sent:N0}") + $" sent in {seconds:F2} s";
            if (hosts.Count > 1)
            {
                detail += $" ({string.Join(" + ", hosts.Select((h, i) => (h.SucceededHere - before[i]).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} by the instances)";
            }

            if (finished)
            {
                // At least once: a delivery sent by two instances would arrive twice. None should.
                detail += $", {Math.Max(0, receiver.Count - deliveries)} received twice";
            }

            detail += $", {cores:F2} of {Environment.ProcessorCount} cores busy" + (store.PostgreSql ? " in this process" : "")
                + $", {perDelivery}";
            if (store.PostgreSql)
            {
                var server = ServerCpuTime() - serverCpu;
                detail += $"; the PostgreSQL server {server.TotalSeconds / seconds:F2} cores, {server.TotalMicroseconds / sent:N0} µs CPU per delivery";
            }
            if (!finished)
            {
                detail += "; not sent: " + await UnsentAsync(first);
            }

            return new Dispatched(perSecond, double.NaN, detail);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            if (database is not null)
            {
                await Postgres.DropDatabaseAsync(database);
            }
        }
    }

    // What held back the deliveries a run left unsent: how many are leased or waiting for a retry, and the last error seen.
    private static async Task<string> UnsentAsync(PortalHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var pending = await db.Deliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Pending)
            .Select(d => new { Leased = d.LeaseOwner != null, Attempted = d.AttemptCount > 0, d.LastError }).ToListAsync();
        var error = pending.Select(p => p.LastError).FirstOrDefault(e => e is not null);
        return $"{pending.Count:N0} pending, {pending.Count(p => p.Leased):N0} leased, {pending.Count(p => p.Attempted):N0} attempted before"
            + (error is null ? "" : $", last error {MessageText.English(error)}");
    }

    /// <summary>
    /// The peers' rows: each one's jobs a second, and beside it WebhookPortal's rate on the same database divided by the
    /// peer's (median ÷ median; the detail gives the rounds' own ratios) when both ran.
    /// </summary>
    private void AddPeerResults(Dictionary<DispatchStore, List<Dispatched>> dispatch, Dictionary<PeerStore, List<Dispatched>> peers)
    {
        foreach (var (peer, runs) in peers)
        {
            var rates = runs.Select(r => r.PerSecond).ToList();
            results.Add(peer.Scenario, $"peer, {peer.Name}: the same deliveries as Hangfire jobs", Median(rates), "jobs/s", Spread(rates) + runs[^1].Detail);
            var (ours, ourRuns) = dispatch.FirstOrDefault(d => d.Key.Scenario == peer.Versus);
            if (ours is null)
            {
                continue;
            }

            var ratio = Median([.. ourRuns.Select(r => r.PerSecond)]) / Median(rates);
            var rounds = ourRuns.Zip(runs, (o, p) => o.PerSecond / p.PerSecond).ToList();
            var detail = rounds.Count < 2
                ? $"{peer.Versus} ÷ {peer.Scenario}"
                : $"median ÷ median; the {rounds.Count} rounds' own ratios {RunResults.Format(rounds.Min())}–{RunResults.Format(rounds.Max())}";
            results.Add($"{peer.Versus}/{peer.Scenario}", $"WebhookPortal ÷ Hangfire, {ours.Name.Split(',')[0]}", ratio, "ratio", detail, ">= 5", ratio >= 5);
        }
    }

    /// <summary>
    /// h, h-pg. Scenario b's work as Hangfire jobs (<see cref="HangfireDispatch"/>): the same receiver, body, number and
    /// concurrency, on a fresh SQLite file or a fresh database of the run's PostgreSQL server, deleted or dropped afterwards.
    /// </summary>
    private async Task<Dispatched> HangfireAsync(PeerStore peer)
    {
        LogProvider.SetCurrentLogProvider(new QuietHangfireLogs(log));
        await using var receiver = await Receiver.StartAsync();
        var warmUp = Math.Min(100, sizes.DispatchDeliveries);
        // The body b's deliveries carry (its webhooks' default body for its client and webhook names, as Delivery.Render
        // renders it), not a's sample: the same bytes on the wire.
        var body = TemplateRenderer.RenderBody("", TemplateValues.For(TemplateSamples.For(UserAction.Created, DateTime.UtcNow), "bench-dispatch", "bench-dispatch-0000"));
        if (peer.PostgreSql)
        {
            var database = await Postgres.CreateDatabaseAsync("benchhangfire");
            try
            {
                var connection = new NpgsqlConnectionStringBuilder(Postgres.ConnectionString(database)) { ApplicationName = "bench-hangfire" }.ConnectionString;
                var (perSecond, detail) = await HangfireDispatch.RunAsync(HangfireDispatch.PostgreSqlStorage(connection), receiver, body, warmUp,
                    sizes.DispatchDeliveries, Concurrency, sizes.DispatchBudget, Patience);
                return new Dispatched(perSecond, double.NaN, detail + " in this process (PostgreSQL's own not counted)");
            }
            finally
            {
                await Postgres.DropDatabaseAsync(database);
            }
        }

        var folder = Path.Combine(Path.GetTempPath(), "webhookportal-bench-hangfire-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            using var storage = HangfireDispatch.SqliteStorage(Path.Combine(folder, "hangfire.db"));
            var (perSecond, detail) = await HangfireDispatch.RunAsync(storage, receiver, body, warmUp,
                sizes.DispatchDeliveries, Concurrency, sizes.DispatchBudget, Patience);
            return new Dispatched(perSecond, double.NaN, detail);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left in the temp folder; nothing else depends on it.
            }
        }
    }

    private PostgreSqlCluster Postgres => postgres ?? throw new InvalidOperationException("The PostgreSQL server was not started.");

    /// <summary>
    /// The settings of instance <paramref name="instance"/> on <paramref name="database"/>: its own instance name (both the
    /// instance's and the lease owner's setting) and application name (so its own Npgsql pool, as in a process of its own,
    /// and a name in <c>pg_stat_activity</c>).
    /// </summary>
    private Dictionary<string, string?> PostgreSqlSettings(string database, int instance) => new()
    {
        [DatabaseProvider.Section] = DatabaseProvider.PostgreSql,
        ["ConnectionStrings:Portal"] = new NpgsqlConnectionStringBuilder(Postgres.ConnectionString(database)) { ApplicationName = $"bench-{instance}" }.ConnectionString,
        ["Portal:InstanceName"] = $"bench-{instance}",
        ["Webhooks:Delivery:InstanceId"] = $"bench-{instance}",
    };

    /// <summary>
    /// c. Users created at a steady rate, 10 matching webhooks: for each delivery, the time from the start of its event's
    /// outbox write, and from the commit of the transaction holding it (the engine's share), to the receiver; for each
    /// create, its duration and its parts (the password hash, the outbox write, the commit).
    /// </summary>
    private async Task LatencyAsync()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var portal = await PortalHost.StartAsync();
        await portal.AddWebhooksAsync(WebhooksForLatency, receiver.BaseUrl + "/latency", "bench-latency");
        using var spans = new AttemptSpans();
        // Split after the run: a delivery may arrive before its creator has noted the commit it followed.
        var arrivals = new List<(string User, long At)>();
        var gate = new Lock();
        receiver.OnRequest = (body, at) =>
        {
            var name = JsonDocument.Parse(body).RootElement.GetProperty("username").GetString() ?? "";
            lock (gate)
            {
                arrivals.Add((name, at));
            }
        };

        // Warm-up users, then the measured ones on a fixed schedule (each create runs on its own; a slow one does not delay the next).
        var warm = receiver.ExpectAsync(3 * WebhooksForLatency);
        for (var i = 0; i < 3; i++)
        {
            await portal.CreateUserAsync($"warm{i}");
        }

        await warm.WaitAsync(Patience);
        lock (gate)
        {
            arrivals.Clear();
        }

        var users = sizes.LatencyUsers;
        var received = receiver.ExpectAsync((long)users * WebhooksForLatency);
        var interval = TimeSpan.FromSeconds(1 / sizes.LatencyUsersPerSecond);
        var creates = new ConcurrentDictionary<string, (long StartedAt, long EndedAt)>();
        var started = Stopwatch.GetTimestamp();
        var running = new List<Task>();
        for (var i = 0; i < users; i++)
        {
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var name = $"lat{i:D5}";
            running.Add(Task.Run(async () =>
            {
                var from = Stopwatch.GetTimestamp();
                await portal.CreateUserAsync(name);
                creates[name] = (from, Stopwatch.GetTimestamp());
            }));
        }

        await Task.WhenAll(running).WaitAsync(Patience);
        var rate = users / Stopwatch.GetElapsedTime(started).TotalSeconds;
        await received.WaitAsync(Patience);
        List<(string User, long At)> arrived;
        lock (gate)
        {
            arrived = [.. arrivals];
        }

        Dictionary<Guid, string> deliveryUsers;
        await using (var db = await portal.CreateDbContextAsync())
        {
            deliveryUsers = await db.Deliveries.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.UserName);
        }

        var latency = LatencySplit.Of(arrived, creates, portal.Notified, portal.CreateTimings);
        var engineParts = LatencySplit.EngineParts(spans.Spans, deliveryUsers, creates, portal.CreateTimings);
        var detail = $"{users} users at {rate:F1}/s × {WebhooksForLatency} webhooks = {latency.FromOutbox.Length:N0} deliveries, load average {LoadAverage()}";
        results.Add("c", "latency p50", Percentile(latency.FromOutbox, 0.50), "ms", detail);
        results.Add("c", "latency p95", Percentile(latency.FromOutbox, 0.95), "ms", detail);
        var p99 = Percentile(latency.FromOutbox, 0.99);
        results.Add("c", "latency p99", p99, "ms", detail, "<= 25 ms", p99 <= 25);
        const string engine = "outbox commit → received (the engine's share)";
        results.Add("c", "engine latency p50", Percentile(latency.FromCommit, 0.50), "ms", engine);
        results.Add("c", "engine latency p95", Percentile(latency.FromCommit, 0.95), "ms", engine);
        var engineP99 = Percentile(latency.FromCommit, 0.99);
        results.Add("c", "engine latency p99", engineP99, "ms", engine, "<= 50 ms", engineP99 <= 50);
        results.Add("c", "engine: commit → attempt start p50", Percentile(engineParts.ToStart, 0.50), "ms", "wake, claim and lease, ready queue, enabled check (the attempt span's start)");
        results.Add("c", "engine: commit → attempt start p99", Percentile(engineParts.ToStart, 0.99), "ms", "wake, claim and lease, ready queue, enabled check (the attempt span's start)");
        results.Add("c", "engine: attempt span p99", Percentile(engineParts.Attempt, 0.99), "ms", $"median {RunResults.Format(Percentile(engineParts.Attempt, 0.50))} ms; the sender's scope, signing, the HTTP exchange");
        results.Add("c", "create user (median)", Percentile(latency.Create, 0.50), "ms", latency.Parts);
        results.Add("c", "create user p99", Percentile(latency.Create, 0.99), "ms", $"{latency.Create.Length} creates");
        results.Add("c", "password hash (median)", Percentile(latency.Hash, 0.50), "ms", $"p99 {RunResults.Format(Percentile(latency.Hash, 0.99))} ms; Identity's PBKDF2 inside PasswordHashingGate");
    }

    /// <summary>
    /// d. The time to create a user with 0, 10 and 100 matching webhooks, the levels taken in turn (so drift on a shared machine
    /// spreads over all three), each after the previous deliveries were received.
    /// </summary>
    private async Task OverheadAsync()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var portal = await PortalHost.StartAsync();
        var webhooks = await portal.AddWebhooksAsync(100, receiver.BaseUrl + "/overhead", "bench-overhead");
        int[] levels = [0, 10, 100];
        var times = levels.ToDictionary(l => l, _ => new List<double>());
        var queueing = levels.ToDictionary(l => l, _ => new List<double>());
        for (var round = -1; round < sizes.OverheadRounds; round++)
        {
            foreach (var level in levels)
            {
                var enabledUpTo = level == 0 ? int.MinValue : webhooks[level - 1].Id;
                await using (var db = await portal.CreateDbContextAsync())
                {
                    await db.Webhooks.ExecuteUpdateAsync(s => s.SetProperty(w => w.Enabled, w => w.Id <= enabledUpTo));
                }

                // Waits for the attempts to be recorded, not just received, so no dispatcher write overlaps the next create.
                var recorded = portal.ExpectSuccessesAsync(level);
                var name = $"ovh{round + 1:D3}x{level}";
                var started = Stopwatch.GetTimestamp();
                await portal.CreateUserAsync(name);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (level > 0)
                {
                    await recorded.WaitAsync(Patience);
                }

                if (round >= 0)
                {
                    // Round -1 warms every level up and is not counted.
                    times[level].Add(elapsed);
                    queueing[level].Add(Stopwatch.GetElapsedTime(0, portal.Notified[name].Duration).TotalMilliseconds);
                }
            }
        }

        var baseline = Median(times[0]);
        foreach (var level in levels)
        {
            var median = Median(times[level]);
            results.Add("d", $"create user, {level} webhooks (median)", median, "ms", $"{times[level].Count} creates; outbox write {Median(queueing[level]):F2} ms");
            if (level > 0)
            {
                var ratio = median / baseline;
                results.Add("d", $"create user {level} ÷ 0 webhooks", ratio, "ratio", "", level == 100 ? "<= 1.3" : "", level == 100 ? ratio <= 1.3 : null);
            }
        }
    }

    /// <summary>e. One event for 1,000 webhooks: how long queueing took, and how long until the receiver had every request.</summary>
    private async Task FanOutAsync()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var portal = await PortalHost.StartAsync();
        var count = sizes.FanOutWebhooks;
        await portal.AddWebhooksAsync(count, receiver.BaseUrl + "/fanout", "bench-fanout");
        var enqueue = new List<double>();
        var all = new List<double>();
        for (var round = -1; round < sizes.FanOutRounds; round++)
        {
            var received = receiver.ExpectAsync(count);
            var recorded = portal.ExpectSuccessesAsync(count);
            var name = $"fan{round + 1:D3}";
            await portal.CreateUserAsync(name);
            await received.WaitAsync(Patience);
            await recorded.WaitAsync(Patience);
            if (round >= 0)
            {
                var timing = portal.Notified[name];
                enqueue.Add(Stopwatch.GetElapsedTime(0, timing.Duration).TotalMilliseconds);
                all.Add(Stopwatch.GetElapsedTime(timing.StartedAt, receiver.LastReceivedAt).TotalMilliseconds);
            }
        }

        var detail = $"1 event × {count:N0} webhooks, median of {all.Count}";
        results.Add("e", "fan-out: time to enqueue", Median(enqueue), "ms", detail);
        var allMs = Median(all);
        results.Add("e", "fan-out: until all received", allMs, "ms", detail, "<= 2000 ms", allMs <= 2000);
    }

    /// <summary>
    /// f. The working set of this process — one of its own (<see cref="RunChildAsync"/>), which holds nothing but the portal's
    /// services — while the dispatcher works through a large backlog to a dead receiver: the process's peak (the kernel's
    /// high-water mark, which also covers start-up and the enqueue), with the working set sampled every 50 ms from before the
    /// enqueue, and the managed heap after the run.
    /// </summary>
    private async Task MemoryAsync()
    {
        await using var portal = await PortalHost.StartAsync();
        var webhooks = await portal.AddWebhooksAsync(WebhooksForMemory, Receiver.DeadUrl(), "bench-memory");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        var beforeParts = ResidentParts();
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50, CancellationToken.None);
            }
        });

        await EnqueueAsync(portal, webhooks, sizes.MemoryPending, oneTransaction: false);
        // A Process of its own: the sampler refreshes the other one meanwhile.
        using var self = Process.GetCurrentProcess();
        var enqueued = self.WorkingSet64;
        var enqueuedParts = ResidentParts();
        var peakEnqueue = Math.Max(peak, enqueued);
        portal.Services.GetRequiredService<DeliverySignal>().Wake();
        await Task.Delay(sizes.MemoryObserve);
        await sampling.CancelAsync();
        await sampler;
        process.Refresh();
        var highWater = Math.Max(peak, process.PeakWorkingSet64);
        var (_, failed, retried) = portal.Recorded;
        var gc = GC.GetGCMemoryInfo();
        var afterParts = ResidentParts();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        const double mb = 1024 * 1024;
        var detail = $"{sizes.MemoryPending:N0} pending, dead receiver, {sizes.MemoryObserve.TotalSeconds:F0} s of dispatching ({failed + retried:N0} attempts recorded); "
            + $"own process, {Machine.GarbageCollector()}; working set {before / mb:F0} MB before the enqueue ({committedBefore / mb:F0} MB committed by the GC), {enqueued / mb:F0} MB after it "
            + $"(peak {peakEnqueue / mb:F0} MB while enqueueing), sampled peak {peak / mb:F0} MB; managed heap after the run {gc.HeapSizeBytes / mb:F0} MB "
            + $"({gc.TotalCommittedBytes / mb:F0} MB committed, {live / mb:F0} MB live after a full collection); resident before / after the enqueue / after the run: {beforeParts} / {enqueuedParts} / {afterParts}";
        results.Add("f", "peak working set", highWater / mb, "MB", detail, "<= 300 MB", highWater / mb <= 300);
    }

    /// <summary>
    /// This process's resident memory by kind (Linux's <c>/proc/self/status</c>): "anonymous + file + shared MB" — the GC heap,
    /// native allocations and stacks; mapped code and data files; the JIT's double-mapped code (W^X) — or "n/a" elsewhere.
    /// </summary>
    private static string ResidentParts()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return "n/a";
        }

        var kB = File.ReadLines(status).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => long.TryParse(p[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0);
        return $"{kB.GetValueOrDefault("RssAnon") / 1024.0:F0} anon + {kB.GetValueOrDefault("RssFile") / 1024.0:F0} file + {kB.GetValueOrDefault("RssShmem") / 1024.0:F0} shared MB";
    }

    /// <summary>
    /// g. The whole portal under API load: <see cref="ApiClients"/> clients, each with its own token and connection, create users
    /// through <c>POST /api/v1/users</c> on a fixed schedule (the i-th create is due at i ÷ rate; a client takes the next due
    /// create when its previous one has been answered), for a fixed time; <see cref="WebhooksForApiLoad"/> webhooks fire on
    /// every create. For each delivery: the time from the start of its API request, and from the start of its event's outbox
    /// write, to its arrival at the receiver; the rate of creates achieved; and how long the receiver went on getting the
    /// backlog after the last create was answered.
    /// </summary>
    private async Task ApiLoadAsync()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var portal = ApiPortal.Start();
        var clients = new List<HttpClient>();
        try
        {
            for (var i = 0; i < ApiClients; i++)
            {
                clients.Add(await portal.CreateApiClientAsync($"bench client {i:D2}"));
            }

            await PostAsync(clients[0], "api/v1/clients", new { clientId = "bench-api", description = "API load" });
            for (var i = 0; i < WebhooksForApiLoad; i++)
            {
                await PostAsync(clients[0], "api/v1/clients/bench-api/webhooks", new
                {
                    name = $"bench-api-{i}",
                    actions = CreatedOnly,
                    url = receiver.BaseUrl + "/api-load",
                    method = "POST",
                    body = """{"user":"{{$$.Name$$}}","webhook":"{{$$.WebhookName$$}}"}""",
                });
            }

            var requested = new ConcurrentDictionary<string, long>();
            var arrivals = new ConcurrentDictionary<(string User, string Webhook), int>();
            var fromRequest = new List<double>();
            var fromOutbox = new List<double>();
            var gate = new Lock();
            long duplicates = 0;
            receiver.OnRequest = (body, at) =>
            {
                var root = JsonDocument.Parse(body).RootElement;
                var user = root.GetProperty("user").GetString() ?? "";
                if (arrivals.AddOrUpdate((user, root.GetProperty("webhook").GetString() ?? ""), 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref duplicates);
                    return;
                }

                lock (gate)
                {
                    if (requested.TryGetValue(user, out var start))
                    {
                        fromRequest.Add(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds);
                    }

                    if (portal.Notified.TryGetValue(user, out var timing))
                    {
                        fromOutbox.Add(Stopwatch.GetElapsedTime(timing.StartedAt, at).TotalMilliseconds);
                    }
                }
            };

            var refusals = new ConcurrentDictionary<int, string>();
            async Task<bool> CreateAsync(HttpClient http, string name)
            {
                requested[name] = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("api/v1/users",
                    new { userName = name, email = name + "@bench.test", firstName = "Bench", lastName = "User", password = "Bench-Passw0rd!" });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return true;
                }

                refusals.TryAdd((int)response.StatusCode, await response.Content.ReadAsStringAsync());
                return false;
            }

            // Warm-up: JIT, Kestrel, the connection pools, Identity; not measured.
            var warm = receiver.ExpectAsync(10L * WebhooksForApiLoad);
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => CreateAsync(clients[i], $"warm{i:D2}")));
            await warm.WaitAsync(Patience);
            lock (gate)
            {
                fromRequest.Clear();
                fromOutbox.Clear();
            }

            var loadBefore = LoadAverage();
            var total = (int)(sizes.ApiCreatesPerSecond * sizes.ApiLoadDuration.TotalSeconds);
            var interval = TimeSpan.FromSeconds(1 / sizes.ApiCreatesPerSecond);
            var next = -1;
            long created = 0;
            long refused = 0;
            var maxBacklog = 0L;
            var timeline = new List<string>();
            var cpu = CpuTime();
            var started = Stopwatch.GetTimestamp();
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                // A line a second: how far the deliveries trail the creates, and whether the thread pool keeps up.
                using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
                try
                {
                    while (await tick.WaitForNextTickAsync(sampling.Token))
                    {
                        var backlog = Interlocked.Read(ref created) * WebhooksForApiLoad - arrivals.Count + 10 * WebhooksForApiLoad;
                        maxBacklog = Math.Max(maxBacklog, backlog);
                        timeline.Add($"{Stopwatch.GetElapsedTime(started).TotalSeconds,5:F0} s: {Interlocked.Read(ref created),5} created, backlog {backlog,5}, " +
                            $"{ThreadPool.ThreadCount} pool threads, {ThreadPool.PendingWorkItemCount} queued");
                    }
                }
                catch (OperationCanceledException)
                {
                    // Sampling ends when the backlog has drained.
                }
            });

            await Task.WhenAll(clients.Select(http => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < total)
                {
                    var due = interval * i - Stopwatch.GetElapsedTime(started);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due);
                    }

                    Interlocked.Increment(ref await CreateAsync(http, $"api{i:D5}") ? ref created : ref refused);
                }
            }))).WaitAsync(Patience);
            var loadEnded = Stopwatch.GetTimestamp();
            var loadSeconds = Stopwatch.GetElapsedTime(started, loadEnded).TotalSeconds;
            var cores = (CpuTime() - cpu).TotalSeconds / loadSeconds;

            // The backlog left when the last create was answered: bounded, a stuck engine is reported rather than waited for.
            var expected = (created + 10) * WebhooksForApiLoad;
            var budget = Stopwatch.StartNew();
            while (arrivals.Count < expected && budget.Elapsed < Patience)
            {
                await Task.Delay(10);
            }

            await sampling.CancelAsync();
            await sampler;
            foreach (var line in timeline)
            {
                log.WriteLine("   " + line);
            }

            var drained = arrivals.Count >= expected;
            var drainMs = drained ? Math.Max(0, Stopwatch.GetElapsedTime(loadEnded, receiver.LastReceivedAt).TotalMilliseconds) : double.NaN;
            double[] request, outbox;
            lock (gate)
            {
                request = [.. fromRequest.Order()];
                outbox = [.. fromOutbox.Order()];
            }

            var rate = created / loadSeconds;
            foreach (var (status, body) in refusals)
            {
                log.WriteLine($"   A create was answered {status}: {body}");
            }

            var detail = $"{created:N0} users ({refused} refused) by {ApiClients} clients in {loadSeconds:F1} s × {WebhooksForApiLoad} webhooks = {request.Length:N0} deliveries" +
                $" ({duplicates} duplicates), {cores:F2} of {Environment.ProcessorCount} cores busy, load average {loadBefore}";
            results.Add("g", "API creates achieved", rate, "creates/s", detail, $">= {sizes.ApiCreatesPerSecond * 0.95:F1}/s", rate >= sizes.ApiCreatesPerSecond * 0.95);
            results.Add("g", "latency p50 from API request", Percentile(request, 0.50), "ms", "request start → received");
            results.Add("g", "latency p99 from API request", Percentile(request, 0.99), "ms", "request start → received");
            results.Add("g", "latency p50 from outbox write", Percentile(outbox, 0.50), "ms", "outbox write start → received");
            var p99 = Percentile(outbox, 0.99);
            results.Add("g", "latency p99 from outbox write", p99, "ms", "outbox write start → received", "<= 1000 ms", p99 <= 1000);
            results.Add("g", "backlog drain after the load", drainMs, "ms",
                drained ? $"most deliveries behind at once: {maxBacklog:N0}" : $"{expected - arrivals.Count:N0} of {expected:N0} still missing after {Patience.TotalMinutes:F0} min",
                "<= 1000 ms", drainMs <= 1000);
        }
        finally
        {
            foreach (var http in clients)
            {
                http.Dispose();
            }
        }
    }

    private static async Task PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The machine's 1-minute load average (<c>/proc/loadavg</c>), or "n/a" where there is none.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>
    /// Queues <paramref name="count"/> deliveries of sample events to each webhook in turn, wakes every host, then waits until
    /// all are recorded (the hosts share one <see cref="SuccessCounter"/>).
    /// </summary>
    private static async Task DrainAsync(List<PortalHost> hosts, List<Webhook> webhooks, int count)
    {
        await EnqueueAsync(hosts[0], webhooks, count, oneTransaction: true);
        var done = hosts[0].ExpectSuccessesAsync(count);
        foreach (var host in hosts)
        {
            host.Services.GetRequiredService<DeliverySignal>().Wake();
        }

        await done.WaitAsync(Patience);
    }

    /// <summary>
    /// Writes <paramref name="count"/> pending deliveries (rendered by the portal's own <see cref="Delivery.Render"/>) spread
    /// over <paramref name="webhooks"/>, due now, in batches; in one transaction when the dispatcher must not see a part early.
    /// </summary>
    private static async Task EnqueueAsync(PortalHost portal, List<Webhook> webhooks, int count, bool oneTransaction)
    {
        const int batch = 2_000;
        var now = DateTime.UtcNow;
        await using var db = await portal.CreateDbContextAsync();
        await using var transaction = oneTransaction ? await db.Database.BeginTransactionAsync() : null;
        for (var start = 0; start < count; start += batch)
        {
            for (var i = start; i < Math.Min(count, start + batch); i++)
            {
                var webhook = webhooks[i % webhooks.Count];
                var userEvent = TemplateSamples.For(UserAction.Created, now);
                var delivery = Delivery.Render(webhook, webhook.Client?.ClientId ?? "bench", userEvent, UserAction.Created.EventType(), now);
                db.Deliveries.Add(delivery);
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }
    }

    /// <summary>
    /// CPU time of the run's PostgreSQL server: its postmaster (the process started with the cluster's port) and every
    /// process it started (backends, writer, WAL writer, autovacuum), from <c>/proc</c>; zero where there is no <c>/proc</c>.
    /// </summary>
    private TimeSpan ServerCpuTime()
    {
        var port = $" -p {Postgres.Port} ";
        var times = new Dictionary<int, (int Parent, long Ticks)>();
        int? master = null;
        foreach (var folder in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // After the command name in parentheses: state, ppid, … utime (14th field), stime (15th), in clock ticks.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                times[pid] = (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture));
                if (master is null && File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ') is var command
                    && command.Contains("postgres", StringComparison.Ordinal) && command.Contains(port, StringComparison.Ordinal))
                {
                    master = pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while it was read.
            }
        }

        // Linux counts in USER_HZ, 100 a second on every architecture .NET runs on.
        var ticks = master is { } m ? times.Where(t => t.Key == m || t.Value.Parent == m).Sum(t => t.Value.Ticks) : 0;
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double Median(List<double> values) => Percentile([.. values.Order()], 0.5);

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>One variant of the dispatch scenario: its result's scenario name, its description, its database, its instances.</summary>
    private sealed record DispatchStore(string Scenario, string Name, bool PostgreSql, int Instances);

    /// <summary>A peer scenario: its result's scenario name, its description, its database, the dispatch variant it is compared with.</summary>
    private sealed record PeerStore(string Scenario, string Name, bool PostgreSql, string Versus);

    /// <summary>One measurement of a dispatch variant; <paramref name="Ratio"/> to the same round's wire limit.</summary>
    private sealed record Dispatched(double PerSecond, double Ratio, string Detail);
}
