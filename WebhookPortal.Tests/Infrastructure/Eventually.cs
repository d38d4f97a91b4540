using Xunit.Sdk;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>Bounded polling for state that background work settles (the dispatcher, the outbox).</summary>
public static class Eventually
{
    /// <summary>How long a test waits for background work by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Calls <paramref name="probe"/> every 50 ms until <paramref name="done"/> holds for its result, and returns that
    /// result; fails the test with <paramref name="what"/> and the last result seen after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> MatchesAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, Func<T, string>? describe = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTimeOffset.UtcNow + limit;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(PollEvery);
        }

        throw new XunitException(
            $"Waited {limit.TotalSeconds:0.#} s for {what}; the last value seen was: {(describe is null ? Describe(last) : describe(last))}");
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        _ => value.ToString() ?? "",
    };
}
