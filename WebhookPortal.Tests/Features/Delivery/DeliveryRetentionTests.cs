using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>Retention: succeeded deliveries kept 30 days, failed and cancelled 90, pending forever (real database).</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryRetentionTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Purges_only_finished_deliveries_past_their_retention()
    {
        var now = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
        var webhook = await factory.UseOnlyWebhookAsync("http://127.0.0.1:9/never", UserAction.Created, name: "retention");
        var rows = new Dictionary<string, (DeliveryStatus Status, DateTime? CompletedAt)>
        {
            ["succeeded-31d"] = (DeliveryStatus.Succeeded, now.AddDays(-31)),
            ["succeeded-29d"] = (DeliveryStatus.Succeeded, now.AddDays(-29)),
            ["failed-91d"] = (DeliveryStatus.Failed, now.AddDays(-91)),
            ["failed-89d"] = (DeliveryStatus.Failed, now.AddDays(-89)),
            ["cancelled-91d"] = (DeliveryStatus.Cancelled, now.AddDays(-91)),
            ["pending-old"] = (DeliveryStatus.Pending, null),
        };
        await using (var db = await factory.CreateDbContextAsync())
        {
            foreach (var (name, (status, completedAt)) in rows)
            {
                db.Deliveries.Add(new WebhookPortal.Features.Delivery.Delivery
                {
                    Id = Guid.CreateVersion7(),
                    WebhookId = webhook.Id,
                    ClientId = "test-client",
                    WebhookName = "retention",
                    EventId = Guid.NewGuid(),
                    Action = UserAction.Created,
                    EventType = "user.created",
                    UserId = name,
                    UserName = name,
                    Url = webhook.Url,
                    Status = status,
                    CreatedAt = now.AddDays(-200),
                    CompletedAt = completedAt,
                    // Far in the future, so the running dispatcher leaves the pending row alone.
                    NextAttemptAt = status == DeliveryStatus.Pending ? now.AddYears(10) : null,
                });
            }

            await db.SaveChangesAsync();
        }

        var purged = await factory.Services.GetRequiredService<DeliveryRetention>().PurgeAsync(now);

        Assert.Equal(3, purged);
        await using var check = await factory.CreateDbContextAsync();
        var left = await check.Deliveries.Select(d => d.UserName).OrderBy(n => n).ToListAsync();
        Assert.Equal(["failed-89d", "pending-old", "succeeded-29d"], left);
    }
}
