using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>
/// A real Kestrel receiver on 127.0.0.1 answering 204 at once: reads the body, hands it to <see cref="OnRequest"/> when set,
/// and counts requests so a scenario can wait for the n-th.
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Lock gate = new();
    private long count;
    private long target = long.MaxValue;
    private TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Receiver(WebApplication app) => this.app = app;

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests received since start or the last <see cref="ExpectAsync"/>.</summary>
    public long Count => Interlocked.Read(ref count);

    /// <summary>The <see cref="Stopwatch"/> timestamp of the last request counted.</summary>
    public long LastReceivedAt { get; private set; }

    /// <summary>Called with each request's body and its arrival timestamp (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public Action<ReadOnlyMemory<byte>, long>? OnRequest { get; set; }

    /// <summary>Starts listening on a free loopback port.</summary>
    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.AddServerHeader = false;
        });
        var receiver = new Receiver(builder.Build());
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync();
        receiver.BaseUrl = receiver.app.Urls.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return receiver;
    }

    /// <summary>A loopback URL on which nothing listens: every connection is refused at once.</summary>
    public static string DeadUrl()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}/dead";
    }

    /// <summary>Resets the count; the returned task completes when <paramref name="requests"/> more have arrived.</summary>
    public Task ExpectAsync(long requests)
    {
        lock (gate)
        {
            Interlocked.Exchange(ref count, 0);
            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            target = requests;
            return reached.Task;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var at = Stopwatch.GetTimestamp();
        OnRequest?.Invoke(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), at);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        LastReceivedAt = at;
        if (Interlocked.Increment(ref count) == Volatile.Read(ref target))
        {
            reached.TrySetResult();
        }
    }
}
