using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// Issue 4 §9: the portal process is killed (SIGKILL) in the middle of a backlog and started again; the ledger must balance
/// and every delivery must reach the receiver at least once, duplicates carrying the same webhook-id. The restarted process
/// resumes at once: it releases the leases its previous life held instead of waiting for them to expire.
/// </summary>
[Collection(CrashCollection.Name)]
[Trait("Category", TestCategories.Crash)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Enqueued = 500;

    // Bounds the whole test. It takes about 30 s on an idle 2-core machine (two start-ups and the backlog); the rest is room
    // for a machine busy with other work, where one start-up alone has taken 25 s. A restart that waited for the dead
    // process's leases would need LeaseDuration more and fail the resume bound below first.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(180);

    // The default lease (2 min), long against everything else here, so that "resumed before the old leases expired" says
    // the restart released them rather than outwaited them.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    // How soon after it answers /health the restarted process must record its first attempt: a claim takes one poll
    // (200 ms) and an attempt 100 ms; the rest is margin for a loaded machine, and still far below LeaseDuration.
    private static readonly TimeSpan ResumeBound = TimeSpan.FromSeconds(30);

    // Fast delivery settings.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Webhooks__Delivery__PollInterval"] = "00:00:00.200",
        ["Webhooks__Delivery__QuickRetries"] = "0",
        ["Webhooks__Delivery__AttemptTimeout"] = "00:00:02",
        ["Webhooks__Delivery__LeaseDuration"] = LeaseDuration.ToString("c"),
        ["Webhooks__Delivery__MaxConcurrency"] = "16",
        ["Webhooks__Delivery__RetrySchedule__0"] = "00:00:00.500",
        ["Webhooks__Delivery__RetrySchedule__1"] = "00:00:00.500",
        ["Webhooks__Delivery__RetrySchedule__2"] = "00:00:00.500",
        ["Webhooks__Delivery__RetryJitter"] = "0",
        ["Webhooks__Delivery__AutoDisableAttempts"] = "0",
        ["Webhooks__Delivery__PurgeStartDelay"] = "1.00:00:00",
    };

    [Fact]
    public async Task A_portal_killed_in_the_middle_of_500_deliveries_loses_none_after_a_restart()
    {
        var deadline = DateTimeOffset.UtcNow + Budget;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var folder = new TempDirectory();
        await using var receiver = await LoopbackReceiver.StartAsync();
        // A slow receiver, so attempts are in flight when the process dies.
        receiver.RespondWith(async _ =>
        {
            await Task.Delay(100);
            return new ReceiverResponse(200, """{"ok":true}""");
        });
        // The first process creates the database (migrations run at start-up), then the backlog appears in one transaction.
        var first = await PortalProcess.StartAsync(folder.DatabasePath, Settings, Remaining(deadline));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the portal is up.");
        Ledger atKill;
        Dictionary<Guid, string> seeded;
        (long LastAttemptId, DateTime EarliestLeaseEnd) held;
        try
        {
            seeded = await SeedAsync(folder, receiver);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: seeded {Enqueued} deliveries.");
            await Eventually.MatchesAsync(
                () => Task.FromResult(DistinctIds(receiver).Count), n => n >= 150, "150 deliveries to reach the receiver before the kill",
                Remaining(deadline));
            await first.KillAsync();
            atKill = await LedgerAsync(folder);
            held = await HeldAtKillAsync(folder);
        }
        finally
        {
            await first.DisposeAsync();
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed. At the kill: {atKill}; the receiver had {receiver.Requests.Count} requests.");
        Assert.True(atKill.Pending > 0, $"The kill came after the backlog was done ({atKill}); the test proved nothing.");

        Assert.True(atKill.Leased > 0, $"No lease was held at the kill ({atKill}); the test proved nothing about them.");
        await using var second = await PortalProcess.StartAsync(folder.DatabasePath, Settings, Remaining(deadline));
        var upAgain = DateTime.UtcNow;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the portal is up again.");

        // The restarted process resumes at once, long before the dead process's leases would have expired.
        var resumed = await Eventually.MatchesAsync(
            () => FirstAttemptAfterAsync(folder, held.LastAttemptId), at => at is not null,
            "an attempt by the restarted process", Remaining(deadline));
        var resumeTime = resumed!.Value - upAgain;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the restarted process recorded its first attempt {resumeTime.TotalSeconds:0.00} s " +
            $"after it answered /health; the dead process's earliest lease would have expired {(held.EarliestLeaseEnd - upAgain).TotalSeconds:0.0} s after it.");
        Assert.True(resumed.Value < held.EarliestLeaseEnd,
            $"The restart resumed only when the dead process's leases expired ({resumeTime.TotalSeconds:0.0} s after start-up).");
        Assert.True(resumeTime < ResumeBound, $"The restart took {resumeTime.TotalSeconds:0.0} s to resume (bound {ResumeBound.TotalSeconds:0} s).");
        var final = await Eventually.MatchesAsync(
            () => LedgerAsync(folder), l => l.Pending == 0, "no delivery left pending after the restart", Remaining(deadline));
        await second.KillAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: nothing pending. After the restart: {final}; the receiver had {receiver.Requests.Count} requests.");

        // Nothing lost: every enqueued delivery is still there and has ended, and nothing else appeared.
        Assert.Equal(Enqueued, final.Total);
        Assert.Equal(Enqueued, final.Succeeded + final.Failed + final.Pending);
        Assert.Equal(0, final.Cancelled);
        Assert.Equal(seeded.Keys.Order(), (await IdsAsync(folder)).Order());

        // Every delivery reached the receiver at least once, and only as itself.
        var requests = receiver.Requests;
        var byDelivery = requests.GroupBy(r => Guid.ParseExact(r.Path["/crash/".Length..], "N")).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Empty(seeded.Keys.Except(byDelivery.Keys));
        Assert.Empty(byDelivery.Keys.Except(seeded.Keys));
        foreach (var (id, received) in byDelivery)
        {
            // A duplicate is the same message: the same webhook-id and body, so a receiver can drop it.
            Assert.All(received, r => Assert.Equal(("msg_" + id.ToString("N"), seeded[id]), (r.Header("webhook-id"), r.Body)));
        }

        output.WriteLine($"{byDelivery.Count(p => p.Value.Count > 1)} deliveries arrived more than once (at-least-once after the kill).");
    }

    private static TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - DateTimeOffset.UtcNow;
        return left > TimeSpan.Zero ? left : throw new XunitException($"The crash test ran out of its {Budget.TotalSeconds:0} s budget.");
    }

    private static HashSet<string> DistinctIds(LoopbackReceiver receiver) =>
        [.. receiver.Requests.Select(r => r.Header("webhook-id") ?? "")];

    /// <summary>
    /// Writes one client, one webhook and 500 pending, due deliveries straight into the database file in one transaction
    /// (faster than 500 user events, and the same rows the outbox would hold). Returns id → body.
    /// </summary>
    private static async Task<Dictionary<Guid, string>> SeedAsync(TempDirectory folder, LoopbackReceiver receiver)
    {
        var now = DateTime.UtcNow;
        await using var db = NewContext(folder);
        var webhook = new Webhook
        {
            Name = "Crash test", Actions = UserAction.Created, Url = receiver.Url("/crash"), CreatedAt = now, UpdatedAt = now,
            Client = new Client { ClientId = "crash-client", CreatedAt = now },
        };
        db.Webhooks.Add(webhook);
        var bodies = new Dictionary<Guid, string>();
        for (var i = 0; i < Enqueued; i++)
        {
            var id = Guid.CreateVersion7();
            var body = $$"""{"n":{{i}},"user":"crash-{{i:000}}"}""";
            bodies[id] = body;
            db.Deliveries.Add(new DeliveryRow
            {
                Id = id, Webhook = webhook, ClientId = "crash-client", WebhookName = webhook.Name, EventId = Guid.NewGuid(),
                Action = UserAction.Created, EventType = UserAction.Created.EventType(), UserId = $"crash-{i:000}", UserName = $"crash-{i:000}",
                Method = "POST", Url = receiver.Url($"/crash/{id:N}"), Body = body, Status = DeliveryStatus.Pending,
                CreatedAt = now.AddSeconds(-Enqueued + i), NextAttemptAt = now.AddSeconds(-Enqueued + i),
            });
        }

        await db.SaveChangesAsync();
        return bodies;
    }

    private static async Task<Ledger> LedgerAsync(TempDirectory folder)
    {
        await using var db = NewContext(folder);
        var counts = await db.Deliveries.GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var leased = await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Pending && d.LeaseOwner != null);
        int Of(DeliveryStatus s) => counts.GetValueOrDefault(s);
        return new Ledger(counts.Values.Sum(), Of(DeliveryStatus.Succeeded), Of(DeliveryStatus.Failed), Of(DeliveryStatus.Pending), Of(DeliveryStatus.Cancelled), leased);
    }

    /// <summary>The newest attempt's id, and when the earliest lease held at the kill would have run out.</summary>
    private static async Task<(long, DateTime)> HeldAtKillAsync(TempDirectory folder)
    {
        await using var db = NewContext(folder);
        var lastAttempt = await db.DeliveryAttempts.MaxAsync(a => (long?)a.Id) ?? 0;
        var leaseEnds = await db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.LeaseUntil != null).Select(d => d.LeaseUntil!.Value).ToListAsync();
        return (lastAttempt, leaseEnds.Count > 0 ? leaseEnds.Min() : DateTime.MaxValue);
    }

    /// <summary>When the first attempt after <paramref name="lastAttemptId"/> started (UTC), or null when there is none yet.</summary>
    private static async Task<DateTime?> FirstAttemptAfterAsync(TempDirectory folder, long lastAttemptId)
    {
        await using var db = NewContext(folder);
        var starts = await db.DeliveryAttempts.Where(a => a.Id > lastAttemptId).Select(a => a.StartedAt).ToListAsync();
        return starts.Count > 0 ? starts.Min() : null;
    }

    private static async Task<List<Guid>> IdsAsync(TempDirectory folder)
    {
        await using var db = NewContext(folder);
        return await db.Deliveries.Select(d => d.Id).ToListAsync();
    }

    private static PortalDbContext NewContext(TempDirectory folder) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(folder.ConnectionString).Options);

    private sealed record Ledger(int Total, int Succeeded, int Failed, int Pending, int Cancelled, int Leased)
    {
        public override string ToString() =>
            $"{Total} deliveries: {Succeeded} succeeded, {Failed} failed, {Pending} pending ({Leased} leased), {Cancelled} cancelled";
    }
}

/// <summary>The crash test runs after the parallel tests, alone: it needs the CPU to start the portal twice within its budget.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashCollection
{
    public const string Name = "Crash (runs alone)";
}
