using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL 15 server for the test run: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a free port
/// of 127.0.0.1 (trust authentication, listening on loopback only, no fsync), shared by the test classes using it at the
/// same time (<see cref="AcquireAsync"/>), stopped and deleted when the last releases it (<see cref="ReleaseAsync"/>) or
/// the test process exits. Uses Debian's binaries in
/// <see cref="BinFolder"/> (package <c>postgresql</c>); as root it runs them as the <c>postgres</c> OS user, since
/// <c>initdb</c> refuses root. Anything missing fails the test with the reason.
/// </summary>
public sealed class PostgreSqlCluster
{
    /// <summary>Where Debian installs the PostgreSQL 15 server programs.</summary>
    public const string BinFolder = "/usr/lib/postgresql/15/bin";

    private const string OsUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgreSqlCluster? shared;
    private static int users;

    private readonly string folder;
    private readonly Dictionary<string, string> keyed = [];
    private int databases;
    private EventHandler? stopAtExit;

    private PostgreSqlCluster(string folder, int port)
    {
        this.folder = folder;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    private string DataFolder => Path.Combine(folder, "data");

    /// <summary>The running server, started for the first caller; throws with the reason when it cannot start.</summary>
    public static async Task<PostgreSqlCluster> AcquireAsync()
    {
        await Gate.WaitAsync();
        try
        {
            shared ??= await StartAsync();
            users++;
            return shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops and deletes the server when no caller of <see cref="AcquireAsync"/> still uses it.</summary>
    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--users == 0 && shared is not null)
            {
                await shared.StopAsync();
                shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser <c>postgres</c>.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = OsUser, Database = database, Timeout = 30 }.ConnectionString;

    /// <summary>Creates an empty database named after <paramref name="prefix"/> (lower case, plus a number) and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{new string([.. prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)])}_{Interlocked.Increment(ref databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>The database of <paramref name="key"/> (e.g. a temp folder), created on first use; returns its name.</summary>
    public async Task<string> DatabaseForAsync(string key)
    {
        await Gate.WaitAsync();
        try
        {
            if (!keyed.TryGetValue(key, out var name))
            {
                name = await CreateDatabaseAsync("portal");
                keyed[key] = name;
            }

            return name;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Drops <paramref name="name"/>, ending any connection still open on it (pooled ones included).</summary>
    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgreSqlCluster> StartAsync()
    {
        var initdb = Path.Combine(BinFolder, "initdb");
        if (!File.Exists(initdb))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed: {initdb} is missing (apt-get install postgresql; .ci/run does it).");
        }

        var asRoot = Environment.UserName == "root";
        var parent = Path.Combine(Path.GetTempPath(), "webhookportal-pg");
        RemoveStopped(parent);
        var folder = Path.Combine(parent, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (asRoot)
        {
            await RunAsync("chown", asRoot: false, "-R", $"{OsUser}:{OsUser}", folder);
        }

        var cluster = new PostgreSqlCluster(folder, FreePort());
        try
        {
            await RunAsync(initdb, asRoot, "-D", cluster.DataFolder, "-U", OsUser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync");
            var options = $"-p {cluster.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 -c track_commit_timestamp=on";
            await RunAsync(Path.Combine(BinFolder, "pg_ctl"), asRoot, "-D", cluster.DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "start");
        }
        catch
        {
            await cluster.StopAsync();
            throw;
        }

        // In case a class never releases it (the test run was cancelled): the test host may still get to this.
        // Removed again by StopAsync, so a run that starts the server several times keeps one handler, not one per start.
        cluster.stopAtExit = (_, _) => cluster.StopAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += cluster.stopAtExit;
        return cluster;
    }

    private async Task StopAsync()
    {
        if (stopAtExit is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= stopAtExit;
            stopAtExit = null;
        }

        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
        {
            try
            {
                await RunAsync(Path.Combine(BinFolder, "pg_ctl"), Environment.UserName == "root", "-D", DataFolder, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already stopped: the folder still goes.
            }
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held: the temp folder keeps it, nothing else depends on it.
        }
    }

    // Left behind by a test process that ended before its cleanup ran; a server still running (its pid file) is left alone.
    private static void RemoveStopped(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        // An hour old at least, so that a folder another test process is setting up right now is never taken.
        var before = TimeProvider.System.GetUtcNow().UtcDateTime.AddHours(-1);
        foreach (var stale in Directory.GetDirectories(parent)
            .Where(d => Directory.GetCreationTimeUtc(d) < before && !File.Exists(Path.Combine(d, "data", "postmaster.pid"))))
        {
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Being removed by another test process right now.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, bool asRoot, params string[] arguments)
    {
        var start = new ProcessStartInfo(asRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asRoot)
        {
            foreach (var argument in (string[])["-u", OsUser, "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        // pg_ctl start leaves the server holding its output handles only when not redirected to the log (-l), so reading
        // to the end returns once pg_ctl itself exits.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} took more than {CommandTimeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }
}
