using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// <c>POST …/webhooks/{id}/recover</c> on the real dispatcher and a loopback receiver: the webhook's deliveries that failed
/// since a time are sent again with their own webhook-id, once however often it is asked; nothing else is.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class RecoverTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient api = null!;
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        api = await ApiClient.ForAsync(factory);
        receiver = await LoopbackReceiver.StartAsync();
        receiver.RespondWith(200, "ok");
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Failed_deliveries_since_the_time_are_sent_again_once_with_their_webhook_id()
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/r"), UserAction.Created, clientId: "recover-client");
        var now = DateTime.UtcNow;
        var before = await SeedAsync(webhook, DeliveryStatus.Failed, now.AddHours(-3));
        var failed = new[] { await SeedAsync(webhook, DeliveryStatus.Failed, now.AddMinutes(-50)), await SeedAsync(webhook, DeliveryStatus.Failed, now.AddMinutes(-5)) };
        var succeeded = await SeedAsync(webhook, DeliveryStatus.Succeeded, now.AddMinutes(-20));
        var since = now.AddHours(-1);
        var path = $"/api/v1/clients/recover-client/webhooks/{webhook.Id}/recover";

        var first = (await api.PostAsync(path, new { since = since.ToString("O") })).Is(HttpStatusCode.Accepted).Json;
        var again = (await api.PostAsync(path, new { since = since.ToString("O") })).Is(HttpStatusCode.Accepted).Json;

        Assert.Equal(2, first.GetProperty("requeued").GetInt32());
        Assert.Equal(since, first.GetProperty("since").GetDateTime(), TimeSpan.FromMilliseconds(1));
        Assert.False(first.GetProperty("paused").GetBoolean());
        Assert.Equal(0, again.GetProperty("requeued").GetInt32());
        foreach (var delivery in failed)
        {
            var sent = await factory.WaitForDeliveryAsync(delivery.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded when sent again");
            Assert.Equal(1, sent.AttemptCount);
        }

        Assert.Equal(0, (await api.PostAsync(path, new { since = since.ToString("O") })).Is(HttpStatusCode.Accepted).Json.GetProperty("requeued").GetInt32());
        Assert.Equal(failed.Select(d => d.MessageId).Order(), receiver.RequestsTo("/r").Select(r => r.Header("webhook-id")).Order());
        var stored = (await factory.DeliveriesAsync()).ToDictionary(d => d.Id);
        Assert.Equal((DeliveryStatus.Failed, 0), (stored[before.Id].Status, stored[before.Id].AttemptCount));
        Assert.Equal((DeliveryStatus.Succeeded, 0), (stored[succeeded.Id].Status, stored[succeeded.Id].AttemptCount));
        await using var db = await factory.CreateDbContextAsync();
        var audit = (await db.AuditEntries.Where(e => e.Action == "webhook.recovered").OrderBy(e => e.Id).Select(e => new { e.Subject, e.Details }).ToListAsync())
            .Select(e => new { e.Subject, Details = MessageText.English(e.Details) })
            .Where(e => e.Details!.EndsWith($"since {since:yyyy-MM-dd HH:mm:ss} UTC.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Requeued 2", "Requeued 0", "Requeued 0"], audit.Select(e => e.Details![..10]));
        Assert.All(audit, e => Assert.Equal("webhook Test webhook (client recover-client)", e.Subject));
    }

    [Fact]
    public async Task A_disabled_webhooks_recovered_deliveries_wait_as_Paused()
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/p"), UserAction.Created, clientId: "recover-client");
        Assert.True(await factory.Services.GetRequiredService<WebhookAdministration>().SetEnabledAsync(webhook.Id, false, WebhookPortal.Features.Audit.AuditActor.System));
        var failed = await SeedAsync(webhook, DeliveryStatus.Failed, DateTime.UtcNow.AddMinutes(-5));

        var recovered = (await api.PostAsync($"/api/v1/clients/recover-client/webhooks/{webhook.Id}/recover", new { since = "2000-01-01T00:00:00Z" }))
            .Is(HttpStatusCode.Accepted).Json;

        Assert.Equal(1, recovered.GetProperty("requeued").GetInt32());
        Assert.True(recovered.GetProperty("paused").GetBoolean());
        Assert.Equal(DeliveryStatus.Paused, (await factory.Services.GetRequiredService<DeliveryQueries>().SummaryAsync(failed.Id))!.Status);
        var listed = (await api.GetAsync("/api/v1/deliveries?status=Paused")).Is(HttpStatusCode.OK).Json;
        Assert.Equal([failed.Id], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task A_repeated_Idempotency_Key_answers_as_the_first_time()
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/i"), UserAction.Created, clientId: "recover-client");
        await SeedAsync(webhook, DeliveryStatus.Failed, DateTime.UtcNow.AddMinutes(-5));
        var path = $"/api/v1/clients/recover-client/webhooks/{webhook.Id}/recover";
        var key = Guid.NewGuid().ToString();

        var first = (await api.PostAsync(path, new { since = "2000-01-01T00:00:00Z" }, key)).Is(HttpStatusCode.Accepted);
        var repeat = (await api.PostAsync(path, new { since = "2000-01-01T00:00:00Z" }, key)).Is(HttpStatusCode.Accepted);

        Assert.Equal(1, repeat.Json.GetProperty("requeued").GetInt32());
        Assert.Equal(first.Body, repeat.Body);
    }

    [Fact]
    public async Task A_missing_unreadable_or_future_since_is_a_field_error_and_an_unknown_webhook_404()
    {
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/v"), UserAction.Created, clientId: "recover-client");
        var path = $"/api/v1/clients/recover-client/webhooks/{webhook.Id}/recover";

        Assert.Contains("since is required", (await api.PostAsync(path, new { })).IsProblem(HttpStatusCode.BadRequest).FieldErrors("since").Single());
        Assert.Contains("ISO 8601", (await api.PostAsync(path, new { since = "yesterday" })).IsProblem(HttpStatusCode.BadRequest).FieldErrors("since").Single());
        Assert.Equal("since must not be in the future.",
            (await api.PostAsync(path, new { since = DateTime.UtcNow.AddHours(1).ToString("O") })).IsProblem(HttpStatusCode.BadRequest).FieldErrors("since").Single());
        (await api.PostAsync($"/api/v1/clients/recover-client/webhooks/{webhook.Id + 1000}/recover", new { since = "2026-01-01T00:00:00Z" })).IsProblem(HttpStatusCode.NotFound);
        (await api.PostAsync($"/api/v1/clients/nobody/webhooks/{webhook.Id}/recover", new { since = "2026-01-01T00:00:00Z" })).IsProblem(HttpStatusCode.NotFound);
    }

    // A delivery as the dispatcher leaves it when it ends: not due, no lease, finished at completedAt.
    private async Task<DeliveryRow> SeedAsync(Webhook webhook, DeliveryStatus status, DateTime completedAt)
    {
        var delivery = new DeliveryRow
        {
            Id = Guid.CreateVersion7(),
            WebhookId = webhook.Id,
            ClientId = "recover-client",
            WebhookName = webhook.Name,
            EventId = Guid.NewGuid(),
            Action = UserAction.Created,
            EventType = UserAction.Created.EventType(),
            UserId = Guid.NewGuid().ToString(),
            UserName = "someone",
            Target = webhook.Target,
            Method = "POST",
            Url = webhook.Url,
            Body = "{}",
            Status = status,
            CreatedAt = completedAt.AddMinutes(-1),
            CompletedAt = completedAt,
            LastError = status == DeliveryStatus.Failed ? "HTTP 500" : null,
        };
        await using var db = await factory.CreateDbContextAsync();
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery;
    }
}
