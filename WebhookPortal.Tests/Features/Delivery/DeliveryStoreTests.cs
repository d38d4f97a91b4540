using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Data;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// <see cref="DeliveryStore"/> on both databases, the same cases on each: a SQLite file of the test's own, and PostgreSQL 15
/// (<see cref="PostgreSqlDatabase"/>), each migrated as at start-up. Several stores on one database are several processes.
/// A race is made certain rather than hoped for: an EF interceptor holds one store's statement until the other store has
/// done its work and committed; the free-running races then repeat it many times.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryStoreTests(PostgreSqlDatabase database) : IClassFixture<PostgreSqlDatabase>, IDisposable
{
    private static readonly DeliveryOptions Settings = new()
    {
        MaxConcurrencyPerWebhook = 4,
        LeaseDuration = TimeSpan.FromMinutes(2),
        RetrySchedule = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)],
        RetryJitter = 0,
        AutoDisableAttempts = 0,
    };

    // Identity's options shape the model (its schema version adds the passkeys table), as in the portal itself.
    private static readonly ServiceProvider IdentityServices = IdentityModel();

    private readonly TempDirectory folder = new();
    // Whole milliseconds: PostgreSQL keeps microseconds, so a time with ticks below them would not read back equal.
    private readonly FakeTimeProvider clock = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    private readonly List<DeliveryStore> stores = [];

    public void Dispose()
    {
        foreach (var store in stores)
        {
            store.Dispose();
        }

        folder.Dispose();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_claim_leaves_out_paused_webhooks_webhooks_at_their_cap_and_excluded_deliveries(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var busy = await AddWebhookAsync(contexts, "busy");
        var paused = await AddWebhookAsync(contexts, "paused", enabled: false);
        var other = await AddWebhookAsync(contexts, "other");
        var busyOnes = await AddDeliveriesAsync(contexts, busy, 6);
        await AddDeliveriesAsync(contexts, paused, 2);
        var otherOnes = await AddDeliveriesAsync(contexts, other, 2);
        var store = Store(contexts, provider);

        var claimed = await store.ClaimAsync("A", 20, new HashSet<Guid> { otherOnes[1] });

        // Oldest due first: the first four of the busy webhook (its cap), and the other webhook's one not excluded.
        Assert.Equal(busyOnes.Take(4).Append(otherOnes[0]).Order(), claimed.Select(d => d.Id).Order());
        Assert.All(claimed, d => Assert.NotNull(d.Webhook));
        // The four live leases count against the busy webhook in the next claim, whoever asks.
        Assert.Empty(await Store(contexts, provider).ClaimAsync("B", 20, new HashSet<Guid> { otherOnes[1] }));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Two_owners_claiming_at_once_never_get_the_same_delivery(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var all = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            all.AddRange(await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, $"w{i}"), 4));
        }

        var second = Store(contexts, provider);
        List<DeliveryRow> secondGot = [];
        // The first owner has chosen the same twelve when the second leases them all just before its lease statement runs.
        var first = Store(Contexts(provider, new BeforeLease(async () => secondGot = await second.ClaimAsync("B", 12, new HashSet<Guid>()))), provider);

        var firstGot = await first.ClaimAsync("A", 12, new HashSet<Guid>());

        Assert.Empty(firstGot);
        Assert.Equal(all.Order(), secondGot.Select(d => d.Id).Order());
        Assert.All(await RowsAsync(contexts, all), d => Assert.Equal("B", d.LeaseOwner));

        // Free-running: both claim at once, round after round, as every lease runs out.
        for (var round = 0; round < 5; round++)
        {
            clock.Advance(Settings.LeaseDuration + TimeSpan.FromSeconds(1));
            var got = await Task.WhenAll(
                Task.Run(() => first.ClaimAsync("A", 12, new HashSet<Guid>())),
                Task.Run(() => second.ClaimAsync("B", 12, new HashSet<Guid>())));

            Assert.Empty(got[0].Select(d => d.Id).Intersect(got[1].Select(d => d.Id)));
            var rows = await RowsAsync(contexts, all);
            Assert.Equal(got[0].Select(d => d.Id).Order(), rows.Where(d => d.LeaseOwner == "A").Select(d => d.Id).Order());
            Assert.Equal(got[1].Select(d => d.Id).Order(), rows.Where(d => d.LeaseOwner == "B").Select(d => d.Id).Order());
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task An_owner_whose_lease_was_taken_over_keeps_its_failed_attempt_but_not_the_state(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var id = Assert.Single(await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 1));
        var first = Store(contexts, provider);
        var second = Store(contexts, provider);
        var claimed = Assert.Single(await first.ClaimAsync("A", 1, new HashSet<Guid>()));
        clock.Advance(Settings.LeaseDuration + TimeSpan.FromSeconds(1));
        var retaken = Assert.Single(await second.ClaimAsync("B", 1, new HashSet<Guid>()));
        var leased = Assert.Single(await RowsAsync(contexts, [id]));

        var late = Assert.Single(await first.RecordAsync("A", [new FinishedAttempt(claimed, AttemptOutcome.RetryableFailure(new CodedMessage(MessageCodes.InternalError, "late"), TimeSpan.FromSeconds(1)))]));

        Assert.Equal((1, false, DeliveryStatus.Pending), (late.Number, late.Applied, late.Status));
        var row = Assert.Single(await RowsAsync(contexts, [id]));
        Assert.Equal((DeliveryStatus.Pending, leased.NextAttemptAt, (DateTime?)null, leased.LeaseUntil, "B"),
            (row.Status, row.NextAttemptAt, row.CompletedAt, row.LeaseUntil, row.LeaseOwner));
        Assert.Equal((1, false), (Assert.Single(row.Attempts).Number, row.Attempts[0].Succeeded));

        // The owner that holds the lease records as usual, after the late attempt.
        var own = Assert.Single(await second.RecordAsync("B", [new FinishedAttempt(retaken, AttemptOutcome.Success(200, "ok", TimeSpan.FromSeconds(1)))]));
        Assert.Equal((2, true, DeliveryStatus.Succeeded), (own.Number, own.Applied, own.Status));
        row = Assert.Single(await RowsAsync(contexts, [id]));
        Assert.Equal((DeliveryStatus.Succeeded, 2, (string?)null, (DateTime?)null), (row.Status, row.AttemptCount, row.LeaseOwner, row.LeaseUntil));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_late_success_ends_the_delivery_Succeeded_and_the_new_owners_attempt_becomes_history(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var id = Assert.Single(await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 1));
        var first = Store(contexts, provider);
        var second = Store(contexts, provider);
        var claimed = Assert.Single(await first.ClaimAsync("A", 1, new HashSet<Guid>()));
        clock.Advance(Settings.LeaseDuration + TimeSpan.FromSeconds(1));
        var retaken = Assert.Single(await second.ClaimAsync("B", 1, new HashSet<Guid>()));

        // The receiver has it: left pending, it would be sent again and could even end Failed.
        var late = Assert.Single(await first.RecordAsync("A", [new FinishedAttempt(claimed, AttemptOutcome.Success(200, "ok", TimeSpan.FromSeconds(1)))]));

        Assert.Equal((1, true, DeliveryStatus.Succeeded), (late.Number, late.Applied, late.Status));
        var own = Assert.Single(await second.RecordAsync("B", [new FinishedAttempt(retaken, AttemptOutcome.RetryableFailure(new CodedMessage(MessageCodes.InternalError, "503"), TimeSpan.FromSeconds(1)))]));
        Assert.Equal((2, false, DeliveryStatus.Succeeded), (own.Number, own.Applied, own.Status));
        var row = Assert.Single(await RowsAsync(contexts, [id]));
        Assert.Equal((DeliveryStatus.Succeeded, 2, (string?)null, (DateTime?)null), (row.Status, row.AttemptCount, row.LeaseOwner, row.LeaseUntil));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_lease_taken_over_between_the_read_and_the_write_of_a_record_is_read_again_before_the_state_is_set(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var id = Assert.Single(await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 1));
        var second = Store(contexts, provider);
        List<DeliveryRow> retaken = [];
        // The first owner's record cannot take the statement path (another writer added an attempt since its claim), so it
        // reads the row — its own expired lease — and marks the delivery Succeeded when the second claims it: the write finds
        // the lease changed, the row is read again, and the success still ends the delivery (the receiver has it).
        var first = Store(Contexts(provider, new BeforeSave(async () => retaken = await second.ClaimAsync("B", 1, new HashSet<Guid>()))), provider);
        var claimed = Assert.Single(await first.ClaimAsync("A", 1, new HashSet<Guid>()));
        var stranger = Assert.Single(await Store(contexts, provider).RecordAsync("C", [new FinishedAttempt(new DeliveryRow { Id = id }, AttemptOutcome.RetryableFailure("stray", TimeSpan.FromMilliseconds(5)))]));
        Assert.False(stranger.Applied);
        clock.Advance(Settings.LeaseDuration + TimeSpan.FromSeconds(1));

        var late = Assert.Single(await first.RecordAsync("A", [new FinishedAttempt(claimed, AttemptOutcome.Success(200, "ok", TimeSpan.FromSeconds(1)))]));

        Assert.Equal(id, Assert.Single(retaken).Id);
        Assert.Equal((2, true, DeliveryStatus.Succeeded), (late.Number, late.Applied, late.Status));
        var row = Assert.Single(await RowsAsync(contexts, [id]));
        Assert.Equal((DeliveryStatus.Succeeded, (string?)null, 2), (row.Status, row.LeaseOwner, row.AttemptCount));
        Assert.Equal([false, true], row.Attempts.OrderBy(a => a.Number).Select(a => a.Succeeded));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_batch_records_held_deliveries_by_statement_and_the_rest_by_reading_them_in_batch_order(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var ids = await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 4);
        var store = Store(contexts, provider);
        var claimed = (await store.ClaimAsync("A", 4, new HashSet<Guid>())).OrderBy(d => ids.IndexOf(d.Id)).ToList();
        Assert.Equal(ids, claimed.Select(d => d.Id));
        await using (var db = await contexts.CreateDbContextAsync())
        {
            // Cancelled while in flight, and recorded meanwhile by another writer: neither matches its claimed state any more.
            Assert.Equal(1, await db.Deliveries.Where(d => d.Id == ids[1]).CancelPendingAsync(_ => true, clock, new CodedMessage(MessageCodes.CancelledPaused, "admin")));
        }

        Assert.False(Assert.Single(await Store(contexts, provider).RecordAsync("C", [new FinishedAttempt(new DeliveryRow { Id = ids[3] }, AttemptOutcome.RetryableFailure("stray", TimeSpan.FromMilliseconds(5)))])).Applied);
        clock.Advance(TimeSpan.FromSeconds(2));

        var recorded = await store.RecordAsync("A",
        [
            new FinishedAttempt(claimed[0], AttemptOutcome.Success(204, null, TimeSpan.FromMilliseconds(3))),
            new FinishedAttempt(claimed[1], AttemptOutcome.RetryableFailure("refused", TimeSpan.FromMilliseconds(3))),
            new FinishedAttempt(claimed[2], AttemptOutcome.RetryableFailure("refused", TimeSpan.FromMilliseconds(3), 503)),
            new FinishedAttempt(claimed[3], AttemptOutcome.PermanentFailure("gone for good", TimeSpan.FromMilliseconds(3), 404)),
        ]);

        var later = clock.GetUtcNow().UtcDateTime;
        Assert.Equal(ids, recorded.Select(r => r.Attempt.Delivery.Id));
        Assert.Equal(
            [(1, DeliveryStatus.Succeeded, true, (DateTime?)null), (1, DeliveryStatus.Cancelled, false, null),
             (1, DeliveryStatus.Pending, true, later + Settings.RetrySchedule[0]), (2, DeliveryStatus.Failed, true, null)],
            recorded.Select(r => (r.Number, r.Status, r.Applied, r.RetryAt)));
        var rows = await RowsAsync(contexts, ids);
        Assert.All(rows, r => Assert.Null(r.LeaseOwner));
        Assert.Equal([DeliveryStatus.Succeeded, DeliveryStatus.Cancelled, DeliveryStatus.Pending, DeliveryStatus.Failed], rows.Select(r => r.Status));
        Assert.Equal([1, 1, 1, 2], rows.Select(r => r.AttemptCount));
        Assert.Equal((204, later, later, (DateTime?)null), (rows[0].LastStatusCode, rows[0].LastAttemptAt, rows[0].CompletedAt, rows[0].NextAttemptAt));
        Assert.Equal((503, later + Settings.RetrySchedule[0], (DateTime?)null), (rows[2].LastStatusCode, rows[2].NextAttemptAt, rows[2].CompletedAt));
        Assert.Equal((404, later), (rows[3].LastStatusCode, rows[3].CompletedAt));
        var attempt = Assert.Single(rows[2].Attempts);
        Assert.Equal((1, later - TimeSpan.FromMilliseconds(3), 3, 503, false), (attempt.Number, attempt.StartedAt, attempt.DurationMs, attempt.StatusCode, attempt.Succeeded));
        Assert.Equal(rows[2].LastError, attempt.Error);
        Assert.Equal([1, 2], rows[3].Attempts.OrderBy(a => a.Number).Select(a => a.Number));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Attempt_numbers_stay_unique_when_two_records_race(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var id = Assert.Single(await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 1));
        var delivery = new DeliveryRow { Id = id };
        var failure = AttemptOutcome.RetryableFailure("refused", TimeSpan.FromMilliseconds(5));
        var second = Store(contexts, provider);
        RecordedAttempt? secondRecord = null;
        // Both have read the count (0) when the second writes its attempt first.
        var first = Store(Contexts(provider, new BeforeSave(async () => secondRecord = (await second.RecordAsync("B", [new FinishedAttempt(delivery, failure)]))[0])), provider);

        var firstRecord = Assert.Single(await first.RecordAsync("A", [new FinishedAttempt(delivery, failure)]));

        Assert.Equal((1, 2), (secondRecord?.Number, firstRecord.Number));

        // Free-running: two writers, ten records each, at once.
        var numbers = await Task.WhenAll(
            Task.Run(() => RecordManyAsync(first, "A")),
            Task.Run(() => RecordManyAsync(second, "B")));

        var row = Assert.Single(await RowsAsync(contexts, [id]));
        Assert.Equal(Enumerable.Range(1, 22), row.Attempts.Select(a => a.Number));
        Assert.Equal(Enumerable.Range(3, 20), numbers.SelectMany(n => n).Order());
        Assert.Equal(22, row.AttemptCount);

        async Task<List<int>> RecordManyAsync(DeliveryStore store, string owner)
        {
            var mine = new List<int>();
            for (var i = 0; i < 10; i++)
            {
                mine.Add(Assert.Single(await store.RecordAsync(owner, [new FinishedAttempt(delivery, failure)])).Number);
            }

            return mine;
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Defer_and_release_by_another_owner_change_nothing(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var ids = await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 2);
        var owner = Store(contexts, provider);
        var stranger = Store(contexts, provider);
        Assert.Equal(2, (await owner.ClaimAsync("A", 2, new HashSet<Guid>())).Count);
        var before = await RowsAsync(contexts, ids);
        var later = clock.GetUtcNow().UtcDateTime.AddMinutes(10);

        Assert.False(await stranger.DeferAsync("B", ids[0], later, "note"));
        Assert.Equal(0, await stranger.ReleaseAsync("B", ids));

        Assert.Equal(before.Select(Snapshot), (await RowsAsync(contexts, ids)).Select(Snapshot));

        // The owner's own do what they say.
        Assert.True(await owner.DeferAsync("A", ids[0], later, "note"));
        Assert.Equal(1, await owner.ReleaseAsync("A", ids));
        var after = await RowsAsync(contexts, ids);
        Assert.Equal((DeliveryStatus.Pending, later, (DateTime?)null, (string?)null, "note"), Snapshot(after[0]));
        Assert.Equal((DeliveryStatus.Pending, before[1].NextAttemptAt, (DateTime?)null, (string?)null, (string?)null), Snapshot(after[1]));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task The_bulk_transitions_leave_a_delivery_as_the_entity_transitions_do(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var webhook = await AddWebhookAsync(contexts, "w");
        var now = clock.GetUtcNow().UtcDateTime;
        var reason = new CodedMessage(MessageCodes.CancelledPaused, "admin");

        await AgreeAsync(d => d.Release(), q => q.ExecuteUpdateAsync(DeliveryRow.SetReleased));
        await AgreeAsync(d => d.Defer(now.AddMinutes(1), "wait"), q => q.ExecuteUpdateAsync(s => DeliveryRow.SetDeferred(s, now.AddMinutes(1), "wait")));
        await AgreeAsync(d => d.Defer(now.AddMinutes(1)), q => q.ExecuteUpdateAsync(s => DeliveryRow.SetDeferred(s, now.AddMinutes(1), null)));
        await AgreeAsync(d => d.Cancel(reason, now), q => q.CancelPendingAsync(_ => true, clock, reason));
        await AgreeAsync(d => d.Requeue(now), q => q.ExecuteUpdateAsync(s => DeliveryRow.SetRequeued(s, now)), failedFirst: true);

        async Task AgreeAsync(Action<DeliveryRow> entity, Func<IQueryable<DeliveryRow>, Task<int>> bulk, bool failedFirst = false)
        {
            var pair = await AddDeliveriesAsync(contexts, webhook, 2);
            await using (var db = await contexts.CreateDbContextAsync())
            {
                foreach (var row in await db.Deliveries.Where(d => pair.Contains(d.Id)).ToListAsync())
                {
                    row.NextAttemptAt = now;
                    row.Lease("A", now.AddMinutes(2));
                    row.LastError = "earlier";
                    if (failedFirst)
                    {
                        row.Fail(now.AddMinutes(-1));
                        row.LeaseOwner = "dead";
                        row.LeaseUntil = now.AddMinutes(-1);
                    }
                }

                await db.SaveChangesAsync();
                var tracked = await db.Deliveries.SingleAsync(d => d.Id == pair[0]);
                entity(tracked);
                await db.SaveChangesAsync();
                Assert.Equal(1, await bulk(db.Deliveries.Where(d => d.Id == pair[1])));
            }

            var rows = await RowsAsync(contexts, pair);
            Assert.Equal(Snapshot(rows[0]), Snapshot(rows[1]));
            Assert.Equal((rows[0].CompletedAt, rows[0].LeaseUntil), (rows[1].CompletedAt, rows[1].LeaseUntil));
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Two_attempts_of_one_delivery_in_one_batch_are_both_recorded_with_their_own_numbers(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var id = Assert.Single(await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 1));
        var store = Store(contexts, provider);
        var claimed = Assert.Single(await store.ClaimAsync("A", 1, new HashSet<Guid>()));
        var failure = AttemptOutcome.RetryableFailure("refused", TimeSpan.FromMilliseconds(5));

        var recorded = await store.RecordAsync("A", [new FinishedAttempt(claimed, failure), new FinishedAttempt(claimed, failure)]);

        Assert.Equal([(1, true), (2, false)], recorded.Select(r => (r.Number, r.Applied)));
        var row = Assert.Single(await RowsAsync(contexts, [id]));
        Assert.Equal((2, DeliveryStatus.Pending, (string?)null), (row.AttemptCount, row.Status, row.LeaseOwner));
        Assert.Equal([1, 2], row.Attempts.Select(a => a.Number));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_batch_whose_tracked_part_fails_says_which_attempts_its_statements_recorded(string provider)
    {
        var contexts = await PrepareAsync(provider);
        var ids = await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 2);
        // The tracked way saves through EF; this store's saves fail as a lost connection would.
        var store = Store(Contexts(provider, new FailingSave()), provider);
        var claimed = (await store.ClaimAsync("A", 1, new HashSet<Guid>())).Single();
        var stranger = ids.Single(id => id != claimed.Id);
        var held = new FinishedAttempt(claimed, AttemptOutcome.Success(204, null, TimeSpan.FromMilliseconds(3)));

        var partly = await Assert.ThrowsAsync<PartlyRecordedException>(() => store.RecordAsync("A",
            [held, new FinishedAttempt(new DeliveryRow { Id = stranger }, AttemptOutcome.Success(204, null, TimeSpan.FromMilliseconds(3)))]));

        Assert.Same(held, Assert.Single(partly.Recorded).Attempt);
        var rows = await RowsAsync(contexts, [claimed.Id, stranger]);
        Assert.Equal((DeliveryStatus.Succeeded, 1), (rows[0].Status, rows[0].AttemptCount));
        Assert.Equal((DeliveryStatus.Pending, 0), (rows[1].Status, rows[1].AttemptCount));
    }

    [Fact]
    public async Task Two_attempts_with_one_number_are_refused_by_the_database()
    {
        var contexts = await PrepareAsync(DatabaseProvider.Sqlite);
        var id = Assert.Single(await AddDeliveriesAsync(contexts, await AddWebhookAsync(contexts, "w"), 1));
        await using var db = await contexts.CreateDbContextAsync();
        db.DeliveryAttempts.AddRange(
            new DeliveryAttempt { DeliveryId = id, Number = 1, StartedAt = clock.GetUtcNow().UtcDateTime },
            new DeliveryAttempt { DeliveryId = id, Number = 1, StartedAt = clock.GetUtcNow().UtcDateTime });

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(refused.IsConstraintViolation());
    }

    private static (DeliveryStatus, DateTime?, DateTime?, string?, string?) Snapshot(DeliveryRow d) =>
        (d.Status, d.NextAttemptAt, d.CompletedAt, d.LeaseOwner, d.LastError);

    private static ServiceProvider IdentityModel()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPortalIdentityCore();
        return services.BuildServiceProvider();
    }

    /// <summary>A migrated, empty outbox (PostgreSQL's database is the class's, so the previous test's rows go first).</summary>
    private async Task<TestContexts> PrepareAsync(string provider)
    {
        var contexts = Contexts(provider);
        await using var db = await contexts.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Deliveries.ExecuteDeleteAsync();
        await db.Clients.ExecuteDeleteAsync();
        return contexts;
    }

    private TestContexts Contexts(string provider, params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseApplicationServiceProvider(IdentityServices);
        if (provider == DatabaseProvider.PostgreSql)
        {
            options.UseNpgsql(database.ConnectionString);
        }
        else
        {
            options.UseSqlite(folder.ConnectionString).AddInterceptors(new SqlitePragmas());
        }

        return new TestContexts(options.AddInterceptors(interceptors).Options, provider == DatabaseProvider.PostgreSql);
    }

    private DeliveryStore Store(IDbContextFactory<PortalDbContext> contexts, string provider)
    {
        DeliveryStore store = provider == DatabaseProvider.PostgreSql
            ? new PostgreSqlDeliveryStore(contexts, clock, Options.Create(Settings), NullLogger<PostgreSqlDeliveryStore>.Instance)
            : new SqliteDeliveryStore(contexts, clock, Options.Create(Settings), NullLogger<SqliteDeliveryStore>.Instance);
        stores.Add(store);
        return store;
    }

    private async Task<int> AddWebhookAsync(TestContexts contexts, string name, bool enabled = true)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync();
        var webhook = new Webhook
        {
            Client = new Client { ClientId = PortalData.UniqueName("store"), Description = "Store test", CreatedAt = now },
            Name = name,
            Actions = UserAction.Created,
            Url = "http://127.0.0.1:9/store",
            Enabled = enabled,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync();
        return webhook.Id;
    }

    /// <summary><paramref name="count"/> pending deliveries due now, each a millisecond older than the next (returned oldest first).</summary>
    private async Task<List<Guid>> AddDeliveriesAsync(TestContexts contexts, int webhookId, int count)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync();
        var rows = Enumerable.Range(0, count).Select(i => new DeliveryRow
        {
            Id = Guid.CreateVersion7(),
            WebhookId = webhookId,
            ClientId = "store",
            WebhookName = "w",
            EventId = Guid.NewGuid(),
            Action = UserAction.Created,
            EventType = "user.created",
            UserId = $"user-{i}",
            UserName = $"user{i}",
            Url = "http://127.0.0.1:9/store",
            Status = DeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now.AddMilliseconds(i - count),
        }).ToList();
        db.Deliveries.AddRange(rows);
        await db.SaveChangesAsync();
        return [.. rows.Select(r => r.Id)];
    }

    /// <summary>The rows of <paramref name="ids"/> in that order, with their attempts by number.</summary>
    private static async Task<List<DeliveryRow>> RowsAsync(TestContexts contexts, IReadOnlyList<Guid> ids)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var rows = await db.Deliveries.AsNoTracking().Include(d => d.Attempts).Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        foreach (var row in rows.Values)
        {
            row.Attempts = [.. row.Attempts.OrderBy(a => a.Number)];
        }

        return [.. ids.Select(id => rows[id])];
    }

    /// <summary>Contexts on the test's database, as the portal makes them for the provider.</summary>
    private sealed class TestContexts(DbContextOptions<PortalDbContext> options, bool postgreSql) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => postgreSql ? new PostgreSqlPortalDbContext(options) : new PortalDbContext(options);

        public Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => Task.FromResult(CreateDbContext());
    }

    /// <summary>Runs <paramref name="action"/> once, just before the first save of a context that has read what it writes.</summary>
    private sealed class BeforeSave(Func<Task> action) : SaveChangesInterceptor
    {
        private int ran;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref ran, 1) == 0)
            {
                await action();
            }

            return result;
        }
    }

    private sealed class FailingSave : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The connection was lost.");
    }

    /// <summary>Runs <paramref name="action"/> once, just before the first lease statement (after the claim chose its deliveries).</summary>
    private sealed class BeforeLease(Func<Task> action) : DbCommandInterceptor
    {
        private int ran;

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("SET \"LeaseUntil\"", StringComparison.Ordinal) && Interlocked.Exchange(ref ran, 1) == 0)
            {
                await action();
            }

            return result;
        }
    }
}
