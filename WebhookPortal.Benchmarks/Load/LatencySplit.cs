using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace WebhookPortal.Benchmarks.Load;

/// <summary>
/// Scenario c's numbers, all in milliseconds and sorted: each delivery's latency from its event's outbox write and from the
/// commit of that write (the engine's share), and each create's duration and password hash. <see cref="Parts"/> gives the
/// median of each part of a create, in order.
/// </summary>
public sealed record LatencySplit(double[] FromOutbox, double[] FromCommit, double[] Create, double[] Hash, string Parts)
{
    /// <summary>
    /// Splits the run: <paramref name="arrived"/> are the receiver's requests (user name, arrival timestamp), <paramref name="creates"/>
    /// each measured create's start and end; the portal's timings give the rest. Arrivals of users not measured are left out.
    /// </summary>
    public static LatencySplit Of(
        List<(string User, long At)> arrived,
        ConcurrentDictionary<string, (long StartedAt, long EndedAt)> creates,
        ConcurrentDictionary<string, NotifyTiming> notified,
        CreateTimings timings)
    {
        var fromOutbox = new List<double>();
        var fromCommit = new List<double>();
        foreach (var (user, at) in arrived)
        {
            if (!creates.ContainsKey(user))
            {
                continue;
            }

            if (notified.TryGetValue(user, out var notify))
            {
                fromOutbox.Add(Ms(notify.StartedAt, at));
            }

            if (timings.TryGetCommitted(user, out var committed))
            {
                fromCommit.Add(Ms(committed, at));
            }
        }

        var create = new List<double>();
        var hash = new List<double>();
        var toHash = new List<double>();
        var hashToOutbox = new List<double>();
        var outbox = new List<double>();
        var toCommit = new List<double>();
        var afterCommit = new List<double>();
        foreach (var (user, (startedAt, endedAt)) in creates)
        {
            create.Add(Ms(startedAt, endedAt));
            if (timings.TryGetHash(user, out var hashed) && notified.TryGetValue(user, out var notify) && timings.TryGetCommitted(user, out var committed))
            {
                var hashEnd = hashed.StartedAt + hashed.Duration;
                var outboxEnd = notify.StartedAt + notify.Duration;
                toHash.Add(Ms(startedAt, hashed.StartedAt));
                hash.Add(Ms(hashed.StartedAt, hashEnd));
                hashToOutbox.Add(Ms(hashEnd, notify.StartedAt));
                outbox.Add(Ms(notify.StartedAt, outboxEnd));
                toCommit.Add(Ms(outboxEnd, committed));
                afterCommit.Add(Ms(committed, endedAt));
            }
        }

        var parts = string.Create(CultureInfo.InvariantCulture,
            $"medians: {Median(toHash):F1} ms to the hash (validation, a hashing slot, its thread), {Median(hash):F1} ms hashing, " +
            $"{Median(hashToOutbox):F1} ms to the outbox write (BEGIN, the user's and audit rows), {Median(outbox):F1} ms writing the outbox, " +
            $"{Median(toCommit):F1} ms to the commit, {Median(afterCommit):F1} ms after it");
        return new LatencySplit([.. fromOutbox.Order()], [.. fromCommit.Order()], [.. create.Order()], [.. hash.Order()], parts);
    }

    /// <summary>
    /// The engine's share split at each delivery's attempt span (<see cref="AttemptSpans"/>), for the measured creates' deliveries:
    /// from the commit to the span's start, and the span's own duration; both sorted, in milliseconds.
    /// </summary>
    public static (double[] ToStart, double[] Attempt) EngineParts(
        IReadOnlyDictionary<Guid, (long StartedAt, TimeSpan Duration)> spans,
        Dictionary<Guid, string> deliveryUsers,
        ConcurrentDictionary<string, (long StartedAt, long EndedAt)> creates,
        CreateTimings timings)
    {
        var toStart = new List<double>();
        var attempt = new List<double>();
        foreach (var (id, (startedAt, duration)) in spans)
        {
            if (deliveryUsers.TryGetValue(id, out var user) && creates.ContainsKey(user) && timings.TryGetCommitted(user, out var committed))
            {
                toStart.Add(Ms(committed, startedAt));
                attempt.Add(duration.TotalMilliseconds);
            }
        }

        return ([.. toStart.Order()], [.. attempt.Order()]);
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }
}
