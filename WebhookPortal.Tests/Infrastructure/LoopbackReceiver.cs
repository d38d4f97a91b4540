using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Xunit.Sdk;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>One HTTP request as the receiver saw it.</summary>
/// <param name="Target">The raw request target: path and query exactly as sent (percent-encoding kept).</param>
/// <param name="Headers">Every header, names case-insensitive, repeated values joined with ", ".</param>
/// <param name="Body">The body decoded as UTF-8; empty when there was none.</param>
public sealed record ReceivedRequest(string Method, string Path, string Target, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt)
{
    /// <summary>The value of header <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Method} {Target} ({Body.Length} chars)";
}

/// <summary>What the receiver answers.</summary>
/// <param name="HoldBodyOpenUntil">
/// When set, the status, headers and <paramref name="Body"/> are sent at once but the response is not finished until this
/// task completes: a receiver that stalls in the middle of its body.
/// </param>
/// <param name="DropConnectionMidBody">
/// When true, the response announces a longer body than <paramref name="Body"/>, sends <paramref name="Body"/>, then
/// drops the connection: a receiver that dies in the middle of its answer.
/// </param>
public sealed record ReceiverResponse(
    int StatusCode, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, Task? HoldBodyOpenUntil = null,
    bool DropConnectionMidBody = false);

/// <summary>
/// A real HTTP receiver: a minimal Kestrel app on 127.0.0.1 that records every request and answers as configured
/// (200 with <c>{"ok":true}</c> by default). It keeps its port across <see cref="StopAsync"/> and <see cref="StartAsync"/>,
/// so a test can take it down and bring it back at the same URL.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<ReceivedRequest> requests = [];
    private readonly HashSet<ReceivedRequest> taken = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource arrived = NewSignal();
    private Func<ReceivedRequest, Task<ReceiverResponse>> respond = _ => Task.FromResult(new ReceiverResponse(200, """{"ok":true}"""));
    private WebApplication? app;

    private LoopbackReceiver(int port) => Port = port;

    /// <summary>The port, fixed for the receiver's life.</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Whether Kestrel is listening now.</summary>
    public bool IsRunning => app is not null;

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Picks a free port on 127.0.0.1 and starts listening on it.</summary>
    public static async Task<LoopbackReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        var receiver = Reserve();
        await receiver.StartListeningAsync(cancellationToken);
        return receiver;
    }

    /// <summary>Picks a free port on 127.0.0.1 but does not listen yet: requests to it are refused until <see cref="StartListeningAsync"/>.</summary>
    public static LoopbackReceiver Reserve()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new LoopbackReceiver(port);
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> on this receiver.</summary>
    public string Url(string pathAndQuery) => BaseUrl + (pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery);

    /// <summary>Answers every following request with <paramref name="statusCode"/>, <paramref name="body"/> and <paramref name="headers"/>.</summary>
    public void RespondWith(int statusCode, string body = "", IReadOnlyDictionary<string, string>? headers = null)
    {
        var response = Task.FromResult(new ReceiverResponse(statusCode, body, headers));
        Volatile.Write(ref respond, _ => response);
    }

    /// <summary>Answers every following request with what <paramref name="responder"/> returns for it.</summary>
    public void RespondWith(Func<ReceivedRequest, ReceiverResponse> responder) =>
        Volatile.Write(ref respond, r => Task.FromResult(responder(r)));

    /// <summary>
    /// Answers every following request when <paramref name="responder"/> completes; the request is recorded (and
    /// waiters woken) before that, so a test can hold a receiver mid-request.
    /// </summary>
    public void RespondWith(Func<ReceivedRequest, Task<ReceiverResponse>> responder) => Volatile.Write(ref respond, responder);

    /// <summary>Starts Kestrel on <see cref="Port"/> (again, after <see cref="StopAsync"/>).</summary>
    public async Task StartListeningAsync(CancellationToken cancellationToken = default)
    {
        if (app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var web = builder.Build();
        web.Run(HandleAsync);

        // The port was free a moment ago; another process may rarely take it in between, so try a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await web.StartAsync(cancellationToken);
                break;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        app = web;
    }

    /// <summary>Stops listening; connections to the port are refused until <see cref="StartListeningAsync"/>.</summary>
    public async Task StopAsync()
    {
        var web = Interlocked.Exchange(ref app, null);
        if (web is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await web.StopAsync(timeout.Token);
            await web.DisposeAsync();
        }
    }

    /// <summary>Waits for the next request not returned before.</summary>
    /// <exception cref="XunitException">Nothing arrived within <paramref name="timeout"/>.</exception>
    public Task<ReceivedRequest> WaitForRequestAsync(TimeSpan timeout) => WaitForRequestAsync(_ => true, timeout, "any request");

    /// <summary>Waits for the oldest request that matches <paramref name="match"/> and was not returned before.</summary>
    /// <exception cref="XunitException">No such request arrived within <paramref name="timeout"/>; the message lists what did arrive.</exception>
    public async Task<ReceivedRequest> WaitForRequestAsync(Func<ReceivedRequest, bool> match, TimeSpan timeout, string description)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            Task signal;
            lock (gate)
            {
                var found = requests.FirstOrDefault(r => !taken.Contains(r) && match(r));
                if (found is not null)
                {
                    taken.Add(found);
                    return found;
                }

                signal = arrived.Task;
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                var seen = Requests;
                throw new XunitException(
                    $"The receiver at {BaseUrl} got no {description} within {timeout.TotalSeconds:0.#} s. " +
                    (seen.Count == 0 ? "It received nothing at all." : "It received: " + string.Join("; ", seen)));
            }

            await Task.WhenAny(signal, Task.Delay(left));
        }
    }

    /// <summary>Waits for the next request to <paramref name="path"/> (path only, query ignored).</summary>
    public Task<ReceivedRequest> WaitForRequestToAsync(string path, TimeSpan timeout) =>
        WaitForRequestAsync(r => r.Path == path, timeout, $"request to {path}");

    /// <summary>The requests received so far whose path is <paramref name="path"/>.</summary>
    public IReadOnlyList<ReceivedRequest> RequestsTo(string path) => [.. Requests.Where(r => r.Path == path)];

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var headers = context.Request.Headers.ToDictionary(
            h => h.Key, h => string.Join(", ", h.Value.AsEnumerable()), StringComparer.OrdinalIgnoreCase);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "", target, headers, body, DateTimeOffset.UtcNow);

        lock (gate)
        {
            requests.Add(request);
            var previous = arrived;
            arrived = NewSignal();
            previous.TrySetResult();
        }

        ReceiverResponse response;
        try
        {
            response = await Volatile.Read(ref respond)(request).WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            response = new ReceiverResponse(500, "responder failed: " + ex.Message);
        }

        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.DropConnectionMidBody)
        {
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(response.Body) + 1000;
        }

        if (response.Body.Length > 0)
        {
            context.Response.ContentType ??= "application/json; charset=utf-8";
            await context.Response.WriteAsync(response.Body, Encoding.UTF8, context.RequestAborted);
        }

        if (response.DropConnectionMidBody)
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            // Give the client a moment to take the headers, so the drop lands in the body rather than before the status
            // line (an abortive close can discard bytes the client has not read yet).
            await Task.Delay(500);
            context.Abort();
            return;
        }

        if (response.HoldBodyOpenUntil is { } hold)
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await hold.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up on the body; that is what such a test wants to see.
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
