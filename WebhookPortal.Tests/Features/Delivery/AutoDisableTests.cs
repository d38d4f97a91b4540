using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>Auto-disable after 24 h and at least 10 failed attempts with no success (real database, fixed times).</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AutoDisableTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly DateTime Now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DeliveryOptions Options = new();

    [Fact]
    public async Task Disables_after_ten_failures_spanning_a_day()
    {
        var webhookId = await SeedAsync(failures: 10, firstFailureHoursAgo: 25);

        Assert.True(await CheckAsync(webhookId));

        await using var db = await factory.CreateDbContextAsync();
        var webhook = await db.Webhooks.SingleAsync(w => w.Id == webhookId);
        Assert.False(webhook.Enabled);
        Assert.Equal("Disabled on 2026-11-29 12:00 UTC: 10 attempts failed since 2026-11-28 11:00 UTC with no success.", MessageText.English(webhook.DisabledReason));
    }

    [Theory]
    [InlineData(9, 25)]
    [InlineData(10, 23)]
    public async Task Keeps_a_webhook_that_has_failed_too_few_times_or_too_briefly(int failures, int hoursAgo)
    {
        var webhookId = await SeedAsync(failures, hoursAgo);

        Assert.False(await CheckAsync(webhookId));
    }

    [Fact]
    public async Task Counts_only_the_failures_since_the_last_success()
    {
        var webhookId = await SeedAsync(failures: 10, firstFailureHoursAgo: 30, successHoursAgo: 20);

        Assert.False(await CheckAsync(webhookId));
    }

    private async Task<bool> CheckAsync(int webhookId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await AutoDisable.CheckAsync(db, webhookId, Options, Now);
    }

    /// <summary>A disabled-by-nobody webhook with one delivery whose attempts are spread evenly from the first failure to now.</summary>
    private async Task<int> SeedAsync(int failures, int firstFailureHoursAgo, int? successHoursAgo = null)
    {
        // Unreachable and the delivery already finished: the running dispatcher has nothing to send.
        var webhook = await factory.UseOnlyWebhookAsync("http://127.0.0.1:9/dead", UserAction.Created, name: PortalData.UniqueName("dead"));
        await using var db = await factory.CreateDbContextAsync();
        var delivery = new WebhookPortal.Features.Delivery.Delivery
        {
            Id = Guid.CreateVersion7(), WebhookId = webhook.Id, ClientId = "test-client", WebhookName = webhook.Name,
            EventId = Guid.NewGuid(), Action = UserAction.Created, EventType = "user.created", UserId = "u", UserName = "u",
            Url = webhook.Url, Status = DeliveryStatus.Failed, CreatedAt = Now.AddDays(-2), CompletedAt = Now,
        };
        var step = TimeSpan.FromHours(firstFailureHoursAgo) / Math.Max(1, failures - 1);
        for (var i = 0; i < failures; i++)
        {
            delivery.Attempts.Add(new DeliveryAttempt { Number = i + 1, StartedAt = Now.AddHours(-firstFailureHoursAgo) + step * i, StatusCode = 500, Error = "HTTP 500" });
        }

        if (successHoursAgo is { } hours)
        {
            delivery.Attempts.Add(new DeliveryAttempt { Number = failures + 1, StartedAt = Now.AddHours(-hours), StatusCode = 200, Succeeded = true });
        }

        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return webhook.Id;
    }
}
