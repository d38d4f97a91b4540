using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// How the dispatcher records what a receiver answers: success, redirect, permanent and transient errors, and the
/// response excerpt. The host retries after 0.5 s and 0.5 s, without quick retries (see <see cref="PortalFactory"/>).
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryOutcomeTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await LoopbackReceiver.StartAsync();
        await factory.UseOnlyWebhookAsync(receiver.Url("/hook"), UserAction.Created);
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Marks_a_2xx_answer_succeeded_and_keeps_the_response()
    {
        receiver.RespondWith(202, """{"errcode":0,"errmsg":"ok","note":"收到"}""");

        var delivery = await DeliverToNewUserAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(1, delivery.AttemptCount);
        Assert.Equal(202, delivery.LastStatusCode);
        Assert.Null(delivery.LastError);
        Assert.Null(delivery.NextAttemptAt);
        Assert.NotNull(delivery.CompletedAt);
        Assert.Null(delivery.LeaseOwner);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal((1, 202, true), (attempt.Number, attempt.StatusCode, attempt.Succeeded));
        Assert.Equal("""{"errcode":0,"errmsg":"ok","note":"收到"}""", attempt.ResponseExcerpt);
        Assert.Null(attempt.Error);
    }

    [Fact]
    public async Task Records_an_answer_with_a_NUL_character_on_either_database()
    {
        // PostgreSQL refuses NUL in text columns; the CI's PostgreSQL pass runs this class there.
        receiver.RespondWith(200, "ok\0binary");

        var delivery = await DeliverToNewUserAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal("ok\uFFFDbinary", Assert.Single(delivery.Attempts).ResponseExcerpt);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task Records_a_redirect_as_failed_and_does_not_follow_it(int status)
    {
        receiver.RespondWith(status, "", new Dictionary<string, string> { ["Location"] = receiver.Url("/elsewhere") });

        var delivery = await DeliverToNewUserAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.AttemptCount);
        Assert.Equal(status, delivery.LastStatusCode);
        Assert.StartsWith("Redirect not followed", MessageText.English(delivery.LastError));
        Assert.Contains(receiver.Url("/elsewhere"), MessageText.English(delivery.LastError));
        Assert.Null(delivery.NextAttemptAt);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.False(attempt.Succeeded);
        Assert.Equal(delivery.LastError, attempt.Error);
        // A followed redirect would have been requested inside the attempt, before the delivery was marked Failed.
        Assert.Single(receiver.RequestsTo("/hook"));
        Assert.Empty(receiver.RequestsTo("/elsewhere"));
    }

    [Fact]
    public async Task Fails_at_once_without_retrying_when_the_receiver_answers_400()
    {
        var error = "{\"error\":\"bad request\",\"detail\":\"" + new string('x', 10_000) + "\"}";
        receiver.RespondWith(400, error);

        var delivery = await DeliverToNewUserAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(1, delivery.AttemptCount);
        Assert.Equal(400, delivery.LastStatusCode);
        Assert.Equal("HTTP 400 Bad Request", delivery.LastError);
        Assert.Null(delivery.NextAttemptAt);
        Assert.NotNull(delivery.CompletedAt);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal(error[..DeliveryAttempt.ExcerptMaxLength], attempt.ResponseExcerpt);
        Assert.Single(receiver.RequestsTo("/hook"));
    }

    [Fact]
    public async Task Retries_a_500_on_the_schedule_with_the_same_webhook_id_then_fails()
    {
        var holdSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        receiver.RespondWith(async _ =>
        {
            if (Interlocked.Increment(ref count) == 2)
            {
                await holdSecond.Task;
            }

            return new ReceiverResponse(500, """{"error":"boom"}""");
        });
        DeliveryRow pending;
        try
        {
            var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("retry")));
            await receiver.WaitForRequestToAsync("/hook", Wait);
            await receiver.WaitForRequestToAsync("/hook", Wait);

            // The second attempt is held open by the receiver: the first one is on record and a retry was scheduled.
            pending = (await factory.DeliveriesForUserAsync(user.Id)).Single();
        }
        finally
        {
            holdSecond.TrySetResult();
        }

        Assert.Equal(DeliveryStatus.Pending, pending.Status);
        Assert.Equal(1, pending.AttemptCount);
        var first = Assert.Single(pending.Attempts);
        Assert.Equal((500, false), (first.StatusCode, first.Succeeded));
        Assert.Equal("""{"error":"boom"}""", first.ResponseExcerpt);
        Assert.Equal("HTTP 500 Internal Server Error", first.Error);
        // The retry is scheduled, in the database, one step of the configured 0.5 s schedule after the attempt.
        Assert.Equal(TimeSpan.FromMilliseconds(500), pending.NextAttemptAt - pending.LastAttemptAt);

        var failed = await factory.WaitForDeliveryAsync(pending.Id, d => d.Status != DeliveryStatus.Pending, "finished");
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal(3, failed.AttemptCount);
        Assert.Equal([1, 2, 3], failed.Attempts.Select(a => a.Number));
        Assert.All(failed.Attempts, a => Assert.Equal((500, false), (a.StatusCode, a.Succeeded)));
        Assert.Equal("HTTP 500 Internal Server Error", failed.LastError);
        Assert.Null(failed.NextAttemptAt);

        var requests = receiver.RequestsTo("/hook");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(failed.MessageId, r.Header("webhook-id")));
        Assert.All(requests, r => Assert.Equal(failed.Body, r.Body));
    }

    [Fact]
    public async Task Records_a_failed_attempt_and_retries_when_the_receiver_drops_the_connection_mid_body()
    {
        receiver.RespondWith(_ => new ReceiverResponse(200, """{"errcode":0,""", DropConnectionMidBody: true));

        var delivery = await DeliverToNewUserAsync(d => d.AttemptCount >= 1);

        var attempt = delivery.Attempts[0];
        Assert.False(attempt.Succeeded);
        Assert.Equal(200, attempt.StatusCode);
        Assert.StartsWith("HTTP 200, then the connection broke while reading the response", MessageText.English(attempt.Error));
        Assert.NotEqual(DeliveryStatus.Succeeded, delivery.Status);
        var failed = await factory.WaitForDeliveryAsync(delivery.Id, d => d.Status != DeliveryStatus.Pending, "finished");
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal(3, failed.AttemptCount);
    }

    [Fact]
    public async Task Keeps_at_most_4096_characters_of_a_large_response()
    {
        var large = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));
        receiver.RespondWith(200, large);

        var delivery = await DeliverToNewUserAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        var excerpt = Assert.Single(delivery.Attempts).ResponseExcerpt;
        Assert.Equal(DeliveryAttempt.ExcerptMaxLength, excerpt?.Length);
        Assert.Equal(large[..4096], excerpt);
    }

    [Fact]
    public async Task Cuts_the_response_excerpt_between_whole_characters()
    {
        // 'a' then emoji: the 4096th UTF-16 unit is the first half of an emoji, which must not be kept alone.
        var response = "a" + string.Concat(Enumerable.Repeat("🎉", 3000));
        receiver.RespondWith(200, response);

        var delivery = await DeliverToNewUserAsync(d => d.Status != DeliveryStatus.Pending);

        var excerpt = Assert.Single(delivery.Attempts).ResponseExcerpt!;
        Assert.Equal(response[..4095], excerpt);
        Assert.False(char.IsHighSurrogate(excerpt[^1]));
    }

    /// <summary>Creates a user (firing the Created webhook) and waits until its delivery satisfies <paramref name="done"/>.</summary>
    [Theory]
    [InlineData(429, "120", 120)]
    [InlineData(503, "5", 60)]
    [InlineData(429, null, 60)]
    public async Task Waits_for_retry_after_and_at_least_a_minute_when_rate_limited(int status, string? retryAfter, int expectedSeconds)
    {
        var headers = retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter };
        receiver.RespondWith(status, """{"errcode":45009,"errmsg":"api freq out of limit"}""", headers);

        var delivery = await DeliverToNewUserAsync(d => d.AttemptCount >= 1);

        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(status, delivery.LastStatusCode);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delivery.NextAttemptAt - delivery.LastAttemptAt);
        // Only the one attempt reached the receiver: rate-limit answers are not retried on the spot.
        Assert.Single(receiver.RequestsTo("/hook"), r => r.Header("webhook-id") == delivery.MessageId);
    }

    [Fact]
    public async Task Disables_the_webhook_with_the_reason_when_the_receiver_answers_410()
    {
        receiver.RespondWith(410, "gone");

        var delivery = await DeliverToNewUserAsync(d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        await using var db = await factory.CreateDbContextAsync();
        var webhook = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Webhooks, w => w.Id == delivery.WebhookId);
        Assert.False(webhook.Enabled);
        Assert.EndsWith("the receiver answered 410 Gone.", MessageText.English(webhook.DisabledReason));
    }

    private async Task<DeliveryRow> DeliverToNewUserAsync(Func<DeliveryRow, bool> done)
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("outcome")));
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        return await factory.WaitForDeliveryAsync(delivery.Id, done, "finished");
    }
}
