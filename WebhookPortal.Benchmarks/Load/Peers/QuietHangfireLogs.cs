using Hangfire.Logging;
using LogLevel = Hangfire.Logging.LogLevel;

namespace WebhookPortal.Benchmarks.Load.Peers;

/// <summary>
/// Hangfire's log provider for the benchmark: Information and below go nowhere (Hangfire logs every server start, stop and
/// heartbeat; a console full of them would measure the console), warnings and errors reach <paramref name="log"/>, the first
/// <see cref="MaxLines"/> of them, so a failing job is seen without a flood.
/// </summary>
public sealed class QuietHangfireLogs(TextWriter log) : ILogProvider
{
    /// <summary>How many warnings and errors are written at most in a run.</summary>
    public const int MaxLines = 20;

    private int written;

    /// <inheritdoc />
    public ILog GetLogger(string name) => new Logger(this, name);

    private sealed class Logger(QuietHangfireLogs owner, string name) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (logLevel < LogLevel.Warn)
            {
                return false;
            }

            // Called without a message, Hangfire asks whether the level is enabled.
            if (messageFunc is not null && Interlocked.Increment(ref owner.written) <= MaxLines)
            {
                owner.WriteLine($"   hangfire {logLevel} {name}: {messageFunc()}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }

            return true;
        }
    }

    private void WriteLine(string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
