using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>Keeps every log line a host writes (message and exception text), for tests that check what reaches the logs.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    /// <summary>Every line so far: <c>category level: message</c> and, when there is one, the exception's full text.</summary>
    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            // Structured values too: a secret passed as a named property would show up in a structured sink even if the message hid it.
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                lines.Enqueue(string.Join(" ", properties.Select(p => $"{p.Key}={p.Value}")));
            }
        }
    }
}
