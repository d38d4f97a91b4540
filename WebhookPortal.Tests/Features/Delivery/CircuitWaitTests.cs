using System.Net;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// The real dispatcher against a host whose circuit is open, over real HTTP on 127.0.0.1: a refusal sends nothing, so it
/// uses no attempt and fails nothing; the delivery waits out the break, shown as its last error, and is then sent.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class CircuitWaitTests
{
    [Fact]
    public async Task Deliveries_recovered_while_the_circuit_is_open_wait_for_it_and_are_each_sent_once()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:CircuitBreakerFailures"] = "2",
            ["Webhooks:Delivery:CircuitBreakerBreakDuration"] = "00:00:05",
        });
        await using var receiver = LoopbackReceiver.Reserve();
        // Signed in first, so the recovery below comes well inside the break.
        using var api = await ApiClient.ForAsync(factory);
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/r"), UserAction.Created, clientId: "circuit-client");
        // As the outage left them: Failed after their whole schedule (three attempts).
        var failed = new List<DeliveryRow>();
        for (var i = 0; i < 6; i++)
        {
            failed.Add(await SeedFailedAsync(factory, webhook.Id, webhook.Url, attempts: 3));
        }

        // Two deliveries of another webhook on the same host find it dead and open its circuit.
        var tripper = await factory.AddWebhookAsync(receiver.Url("/trip"), UserAction.Created, clientId: "circuit-client", name: "Tripper");
        var trips = await IsolationTests.QueueAsync(factory, tripper, 2);
        await Eventually.MatchesAsync(
            async () => (await factory.DeliveriesAsync()).Where(d => trips.Contains(d.Id)).ToList(),
            list => list.Count == trips.Count && list.All(d => d.AttemptCount >= 1), "the host refusing two connections", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
        receiver.RespondWith(200, "ok");
        await receiver.StartListeningAsync();

        var recovered = (await api.PostAsync($"/api/v1/clients/circuit-client/webhooks/{webhook.Id}/recover", new { since = "2000-01-01T00:00:00Z" }))
            .Is(HttpStatusCode.Accepted).Json;

        Assert.Equal(6, recovered.GetProperty("requeued").GetInt32());
        var ids = failed.Select(d => d.Id).ToHashSet();
        var waitNote = $"Waiting for the circuit of host 127.0.0.1:{receiver.Port} to close";
        // Refused by the circuit, yet still Pending with the attempts it had, and saying why it waits.
        var waiting = await Eventually.MatchesAsync(
            async () => (await factory.DeliveriesAsync()).Where(d => ids.Contains(d.Id)).ToList(),
            list => list.Any(d => MessageText.English(d.LastError)?.StartsWith(waitNote, StringComparison.Ordinal) == true),
            "a recovered delivery waiting for the circuit", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
        Assert.All(waiting.Where(d => MessageText.English(d.LastError)!.StartsWith(waitNote, StringComparison.Ordinal)),
            d => Assert.Equal((DeliveryStatus.Pending, 3), (d.Status, d.AttemptCount)));

        var done = await Eventually.MatchesAsync(
            async () => (await factory.DeliveriesAsync()).Where(d => ids.Contains(d.Id)).ToList(),
            list => list.Count == ids.Count && list.All(d => d.Status != DeliveryStatus.Pending), "every recovered delivery finished", TimeSpan.FromSeconds(40),
            list => string.Join("; ", list.Select(PortalData.Describe)));
        // Each sent once: the one attempt after the three of the outage, which the circuit's refusals did not use up.
        Assert.All(done, d =>
        {
            Assert.Equal((DeliveryStatus.Succeeded, 4), (d.Status, d.AttemptCount));
            var attempt = Assert.Single(d.Attempts);
            Assert.Equal((4, true, 200), (attempt.Number, attempt.Succeeded, attempt.StatusCode));
            Assert.Null(d.LastError);
        });
        Assert.Equal(failed.Select(d => d.MessageId).Order(), receiver.RequestsTo("/r").Select(r => r.Header("webhook-id")).Order());
    }

    [Fact]
    public async Task A_quick_retry_refused_by_the_circuit_records_the_sent_tries_timeout_and_later_refusals_keep_the_attempt_count()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?>
        {
            ["Webhooks:Delivery:QuickRetries"] = "1",
            // Long enough that both first tries have timed out (and opened the circuit) before either retries.
            ["Webhooks:Delivery:QuickRetryDelay"] = "00:00:01",
            ["Webhooks:Delivery:AttemptTimeout"] = "00:00:01",
            ["Webhooks:Delivery:CircuitBreakerFailures"] = "2",
            ["Webhooks:Delivery:CircuitBreakerBreakDuration"] = "00:10:00",
        });
        await using var hanging = await LoopbackReceiver.StartAsync();
        var never = new TaskCompletionSource<ReceiverResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            hanging.RespondWith(_ => never.Task);
            var webhook = await factory.UseOnlyWebhookAsync(hanging.Url("/hang"), UserAction.Created);

            var queued = await IsolationTests.QueueAsync(factory, webhook, 2);

            var attempted = await Eventually.MatchesAsync(
                async () => (await factory.DeliveriesAsync()).Where(d => queued.Contains(d.Id)).ToList(),
                list => list.Count == queued.Count && list.All(d => d.AttemptCount >= 1), "both attempted", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
            // The request went out and timed out; the quick retry that the circuit refused does not replace that.
            Assert.All(attempted, d => Assert.Equal("Timed out after 1 s.", MessageText.English(d.Attempts.Single(a => a.Number == 1).Error)));

            // The scheduled retry (0.5 s later) meets the open circuit: it waits, unsent, with no attempt used.
            var waitNote = $"Waiting for the circuit of host 127.0.0.1:{hanging.Port} to close";
            var waiting = await Eventually.MatchesAsync(
                async () => (await factory.DeliveriesAsync()).Where(d => queued.Contains(d.Id)).ToList(),
                list => list.Count == queued.Count && list.All(d => MessageText.English(d.LastError)?.StartsWith(waitNote, StringComparison.Ordinal) == true),
                "both waiting for the circuit", describe: list => string.Join("; ", list.Select(PortalData.Describe)));
            Assert.All(waiting, d => Assert.Equal((DeliveryStatus.Pending, 1, 1), (d.Status, d.AttemptCount, d.Attempts.Count)));
            // Only the first tries were sent.
            Assert.Equal(2, hanging.RequestsTo("/hang").Count);
        }
        finally
        {
            never.TrySetResult(new ReceiverResponse(200));
        }
    }

    // A delivery as the dispatcher leaves it when its schedule runs out: Failed, not due, no lease.
    private static async Task<DeliveryRow> SeedFailedAsync(PortalFactory factory, int webhookId, string url, int attempts)
    {
        var now = DateTime.UtcNow;
        var delivery = new DeliveryRow
        {
            Id = Guid.CreateVersion7(),
            WebhookId = webhookId,
            ClientId = "circuit-client",
            WebhookName = "Test webhook",
            EventId = Guid.NewGuid(),
            Action = UserAction.Created,
            EventType = UserAction.Created.EventType(),
            UserId = Guid.NewGuid().ToString(),
            UserName = "someone",
            Method = "POST",
            Url = url,
            Body = "{}",
            Status = DeliveryStatus.Failed,
            AttemptCount = attempts,
            CreatedAt = now.AddMinutes(-2),
            CompletedAt = now.AddMinutes(-1),
            LastAttemptAt = now.AddMinutes(-1),
            LastError = new CodedMessage(MessageCodes.RequestFailed, "Connection refused").Serialize(),
        };
        await using var db = await factory.CreateDbContextAsync();
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery;
    }
}
