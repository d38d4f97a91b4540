using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// The built portal as a separate process (<c>dotnet WebhookPortal.dll</c> from the test's output folder, which holds it
/// because the test project references the web project), on 127.0.0.1 and its own SQLite file, in Development.
/// Unlike an in-process host it can be killed for real (<see cref="Kill"/> sends SIGKILL on Linux).
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private PortalProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>
    /// Starts the portal on <paramref name="databasePath"/> with <paramref name="settings"/> (configuration keys as
    /// environment variables, e.g. <c>Webhooks__Delivery__PollInterval</c>) and waits until <c>/health</c> answers 200.
    /// A port taken between choosing and binding it is retried on another. With <paramref name="databasePath"/> null the
    /// settings choose the database (e.g. <c>Database__Provider</c> and <c>ConnectionStrings__Portal</c> for PostgreSQL).
    /// </summary>
    public static async Task<PortalProcess> StartAsync(string? databasePath, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        for (var attempt = 1; ; attempt++)
        {
            var portal = Launch(databasePath, settings, FreePort());
            if (await portal.WaitUntilHealthyAsync(deadline))
            {
                return portal;
            }

            var exited = portal.HasExited;
            var log = portal.Output;
            await portal.DisposeAsync();
            if (!exited || attempt == 3 || DateTimeOffset.UtcNow >= deadline)
            {
                throw new Xunit.Sdk.XunitException($"The portal process did not become healthy (exited: {exited}). Its output:{Environment.NewLine}{log}");
            }
        }
    }

    /// <summary>
    /// Starts the portal as <see cref="StartAsync"/> does, for settings that must stop it, and waits until it exits; returns
    /// its exit code and last output lines. Fails when it is still running after <paramref name="timeout"/> (it is killed).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string databasePath, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        await using var portal = Launch(databasePath, settings, FreePort());
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await portal.process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The portal process was still running after {timeout}. Its output:{Environment.NewLine}{portal.Output}");
        }

        // The asynchronous readers may still hold the last lines: WaitForExit without a timeout drains them.
        portal.process.WaitForExit();
        return (portal.process.ExitCode, portal.Output);
    }

    /// <summary>Ends the process at once, as a crash would: SIGKILL on Linux, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
    }

    private static PortalProcess Launch(string? databasePath, IReadOnlyDictionary<string, string> settings, int port)
    {
        var folder = AppContext.BaseDirectory;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            // The content root is the working folder: appsettings*.json and the static web assets manifest are there.
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "WebhookPortal.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        if (databasePath is not null)
        {
            start.Environment["ConnectionStrings__Portal"] = $"Data Source={databasePath}";
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var portal = new PortalProcess(process, port);
        process.OutputDataReceived += (_, e) => portal.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    private async Task<bool> WaitUntilHealthyAsync(DateTimeOffset deadline)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (DateTimeOffset.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        return false;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > KeptLines)
        {
            output.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
