using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// Keep order per user (real dispatcher, loopback receiver): an ordered webhook's deliveries about one user leave one at a
/// time in event order, across a retry, after a final failure and around a redelivery; unordered webhooks do not wait; every event carries the
/// user's sequence number as <c>webhook-sequence</c> and <c>{{$$.Sequence$$}}</c>. Each test has its own host, with
/// retries an hour apart (anything sooner came from the test), and a sentinel webhook that is never held up.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class OrderedDeliveryTests : IAsyncLifetime
{
    private const UserAction CreatedOrDeleted = UserAction.Created | UserAction.Deleted;

    private PortalFactory factory = null!;
    private LoopbackReceiver receiver = null!;
    private Webhook ordered = null!;

    public async Task InitializeAsync()
    {
        factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:RetrySchedule:0"] = "01:00:00",
            ["Webhooks:Delivery:RetrySchedule:1"] = "01:00:00",
        });
        factory.StartServer();
        receiver = await LoopbackReceiver.StartAsync();
        ordered = await factory.UseOnlyWebhookAsync(receiver.Url("/o"), CreatedOrDeleted, clientId: "ordered-client", name: "Ordered");
        await SetOrderedAsync(true);
        // Fires on every user created and is never held: once its delivery of a later event is sent, the dispatcher has
        // had its chance at everything due before it.
        await factory.AddWebhookAsync(receiver.Url("/s"), UserAction.Created, clientId: "sentinel-client", name: "Sentinel");
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task A_user_created_and_deleted_at_once_reaches_an_ordered_receiver_created_first()
    {
        var release = HoldCreatedEvents();
        var (created, deleted) = await CreateAndDeleteAsync();
        Assert.Equal(created.Sequence + 1, deleted.Sequence);

        await receiver.WaitForRequestAsync(r => r.Header("webhook-id") == created.MessageId, Eventually.DefaultTimeout, "the created event, held");
        await AssertNothingStartedAsync(deleted);

        release.SetResult(new ReceiverResponse(200));
        await factory.WaitForDeliveryAsync(deleted.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded after the created one");
        Assert.Equal([created.MessageId, deleted.MessageId], Sent(created, deleted).Select(r => r.Header("webhook-id")));
        Assert.Equal([Number(created), Number(deleted)], Sent(created, deleted).Select(r => r.Header("webhook-sequence")));
    }

    [Fact]
    public async Task A_later_event_waits_while_the_earlier_one_is_retrying_and_goes_once_it_succeeds()
    {
        var failedOnce = 0;
        receiver.RespondWith(r => r.Path == "/o" && r.Header("X-Webhook-Event") == "user.created" && Interlocked.Exchange(ref failedOnce, 1) == 0
            ? new ReceiverResponse(500, "down")
            : new ReceiverResponse(200));
        var (created, deleted) = await CreateAndDeleteAsync();

        var retrying = await factory.WaitForDeliveryAsync(created.Id, d => d.AttemptCount == 1 && d.LeaseOwner is null, "its failed attempt recorded");
        Assert.Equal((DeliveryStatus.Pending, 500), (retrying.Status, retrying.LastStatusCode));
        await AssertNothingStartedAsync(deleted);

        // The retry, brought forward instead of waiting the hour.
        Assert.True(await factory.Services.GetRequiredService<DeliveryActions>().RetryNowAsync(created.Id));
        await factory.WaitForDeliveryAsync(deleted.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded after the retried one");
        Assert.Equal(DeliveryStatus.Succeeded, (await factory.DeliveryAsync(created.Id))!.Status);
        Assert.Equal([created.MessageId, created.MessageId, deleted.MessageId], Sent(created, deleted).Select(r => r.Header("webhook-id")));
    }

    [Fact]
    public async Task An_earlier_event_that_finally_fails_releases_the_later_one()
    {
        var release = HoldCreatedEvents();
        var (created, deleted) = await CreateAndDeleteAsync();
        await receiver.WaitForRequestAsync(r => r.Header("webhook-id") == created.MessageId, Eventually.DefaultTimeout, "the created event, held");
        await AssertNothingStartedAsync(deleted);

        // A 400 is permanent: no retry, Failed at once.
        release.SetResult(new ReceiverResponse(400, "no"));
        await factory.WaitForDeliveryAsync(deleted.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded after the failed one");
        Assert.Equal(DeliveryStatus.Failed, (await factory.DeliveryAsync(created.Id))!.Status);
        Assert.Equal([created.MessageId, deleted.MessageId], Sent(created, deleted).Select(r => r.Header("webhook-id")));
    }

    [Fact]
    public async Task A_redelivered_earlier_event_waits_while_a_later_one_is_in_flight()
    {
        var release = new TaskCompletionSource<ReceiverResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.RespondWith(r => r.Path != "/o" ? Task.FromResult(new ReceiverResponse(200))
            : r.Header("X-Webhook-Event") == "user.deleted" ? release.Task
            : Task.FromResult(new ReceiverResponse(400, "no")));
        var (created, deleted) = await CreateAndDeleteAsync();
        await factory.WaitForDeliveryAsync(created.Id, d => d.Status == DeliveryStatus.Failed, "Failed at once");
        await receiver.WaitForRequestAsync(r => r.Header("webhook-id") == deleted.MessageId, Eventually.DefaultTimeout, "the deleted event, held");

        Assert.True(await factory.Services.GetRequiredService<DeliveryActions>().RedeliverAsync(created.Id));
        await AssertNothingStartedAsync(created);

        release.SetResult(new ReceiverResponse(200));
        await factory.WaitForDeliveryAsync(created.Id, d => d.AttemptCount == 2 && d.LeaseOwner is null, "redelivered once the later one finished");
        Assert.Equal([created.MessageId, deleted.MessageId, created.MessageId], Sent(created, deleted).Select(r => r.Header("webhook-id")));
    }

    [Fact]
    public async Task An_unordered_webhook_sends_a_later_event_while_the_earlier_one_is_in_flight()
    {
        await SetOrderedAsync(false);
        var release = HoldCreatedEvents();
        var (created, deleted) = await CreateAndDeleteAsync();

        await factory.WaitForDeliveryAsync(deleted.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded without waiting");
        Assert.Equal(DeliveryStatus.Pending, (await factory.DeliveryAsync(created.Id))!.Status);

        release.SetResult(new ReceiverResponse(200));
        await factory.WaitForDeliveryAsync(created.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded once answered");
    }

    [Fact]
    public async Task Every_event_carries_its_users_next_sequence_number_as_header_and_variable()
    {
        var numbered = await factory.UseOnlyWebhookAsync(receiver.Url("/n"), UserAction.Created | UserAction.Updated,
            body: """{"seq":"{{$$.Sequence$$}}","user":"{{$$.ID$$}}"}""", clientId: "numbered-client", name: "Numbered");
        var first = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("first")));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var result = await users.SetEmailAsync((await users.FindByIdAsync(first.Id))!, PortalData.UniqueName("moved") + "@example.test");
            Assert.True(result.Succeeded);
        }

        var second = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("second")));
        var deliveries = await Eventually.MatchesAsync(
            async () => (await factory.DeliveriesAsync()).Where(d => d.WebhookId == numbered.Id).ToList(),
            l => l.Count == 3 && l.All(d => d.Status == DeliveryStatus.Succeeded), "three deliveries sent");

        Assert.Equal([1L, 2L], deliveries.Where(d => d.UserId == first.Id).OrderBy(d => d.CreatedAt).Select(d => d.Sequence));
        Assert.Equal(1L, deliveries.Single(d => d.UserId == second.Id).Sequence);
        foreach (var delivery in deliveries)
        {
            var request = receiver.RequestsTo("/n").Single(r => r.Header("webhook-id") == delivery.MessageId);
            Assert.Equal(Number(delivery), request.Header("webhook-sequence"));
            Assert.Equal(Number(delivery), JsonDocument.Parse(request.Body).RootElement.GetProperty("seq").GetString());
        }
    }

    [Fact]
    public async Task Events_about_one_user_at_the_same_moment_get_distinct_numbers_in_commit_order()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/l"), UserAction.LoggedIn, clientId: "login-client", name: "Logins");
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("busy")));
        var snapshot = UserSnapshot.Of(user);
        // Nothing sends the rows, so nothing rewrites them: on PostgreSQL an update would give a row a later transaction (xmin).
        await factory.Services.GetRequiredService<DeliveryDispatcher>().StopAsync(CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var notifier = scope.ServiceProvider.GetRequiredService<IUserEventNotifier>();
            Assert.Equal(1, await notifier.NotifyAsync(new UserEvent(Guid.CreateVersion7(), UserAction.LoggedIn, snapshot, DateTime.UtcNow, "127.0.0.1", [])));
        }));

        // The webhook hears no Created: the first number went to the first sign-in. The rows' commit order must be the
        // numbers' order: SQLite's rowid grows with each commit (one writer at a time); PostgreSQL's test server records the
        // commit time of the transaction that wrote each row (track_commit_timestamp; rows committed in the same microsecond
        // are in order either way).
        await using var db = await factory.CreateDbContextAsync();
        var numbers = await (factory.IsOnPostgreSql
            ? db.Database.SqlQuery<long>($"""SELECT "Sequence" AS "Value" FROM "Deliveries" WHERE "UserId" = {user.Id} ORDER BY pg_xact_commit_timestamp(xmin), "Sequence" """)
            : db.Database.SqlQuery<long>($"""SELECT "Sequence" AS "Value" FROM "Deliveries" WHERE "UserId" = {user.Id} ORDER BY rowid"""))
            .ToListAsync();
        Assert.Equal(Enumerable.Range(1, 8).Select(n => (long)n), numbers);
        Assert.Equal(8L, (await db.UserSequences.SingleAsync(s => s.UserId == user.Id)).Last);
    }

    private TaskCompletionSource<ReceiverResponse> HoldCreatedEvents()
    {
        var release = new TaskCompletionSource<ReceiverResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.RespondWith(r => r.Path == "/o" && r.Header("X-Webhook-Event") == "user.created" ? release.Task : Task.FromResult(new ReceiverResponse(200)));
        return release;
    }

    /// <summary>Creates a user and deletes it at once; returns the ordered webhook's two deliveries.</summary>
    private async Task<(DeliveryRow Created, DeliveryRow Deleted)> CreateAndDeleteAsync()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("brief")));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var result = await users.DeleteAsync((await users.FindByIdAsync(user.Id))!);
            Assert.True(result.Succeeded);
        }

        var deliveries = await Eventually.MatchesAsync(
            async () => (await factory.DeliveriesForUserAsync(user.Id)).Where(d => d.WebhookId == ordered.Id).ToList(),
            l => l.Count == 2, "two deliveries to the ordered webhook");
        return (deliveries.Single(d => d.Action == UserAction.Created), deliveries.Single(d => d.Action == UserAction.Deleted));
    }

    private async Task SetOrderedAsync(bool on)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Webhooks.Where(w => w.Id == ordered.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.OrderedPerUser, on));
    }

    private List<ReceivedRequest> Sent(params DeliveryRow[] deliveries) =>
        [.. receiver.RequestsTo("/o").Where(r => deliveries.Any(d => d.MessageId == r.Header("webhook-id")))];

    private static string Number(DeliveryRow delivery) => delivery.Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// After a later event's delivery to the sentinel is sent — so every claim round since <paramref name="deliveries"/> were
    /// due has passed — none of them is leased, has a new attempt or left Pending: a claimed one would still hold its lease.
    /// </summary>
    private async Task AssertNothingStartedAsync(params DeliveryRow[] deliveries)
    {
        var before = (await factory.DeliveriesAsync()).ToDictionary(d => d.Id);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("sentinel")));
        var sentinel = (await Eventually.MatchesAsync(() => factory.DeliveriesForUserAsync(user.Id), l => l.Count == 2, "the event's deliveries"))
            .Single(d => d.WebhookId != ordered.Id);
        await factory.WaitForDeliveryAsync(sentinel.Id, d => d.Status == DeliveryStatus.Succeeded, "sent (sentinel)");

        var after = (await factory.DeliveriesAsync()).ToDictionary(d => d.Id);
        Assert.All(deliveries, d => Assert.Equal((before[d.Id].AttemptCount, (string?)null, DeliveryStatus.Pending),
            (after[d.Id].AttemptCount, after[d.Id].LeaseOwner, after[d.Id].Status)));
    }
}
