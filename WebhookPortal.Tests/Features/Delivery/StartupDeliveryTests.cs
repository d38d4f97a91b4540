using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The outbox survives restarts: what a stopped or crashed host left pending is sent by the next one.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class StartupDeliveryTests
{
    [Fact]
    public async Task Sends_a_pending_delivery_that_was_queued_while_no_host_was_running()
    {
        using var folder = new TempDirectory();
        await using var receiver = await LoopbackReceiver.StartAsync();
        await CreateDatabaseAsync(folder);
        var row = NewPendingDelivery(receiver.Url("/boot"), """{"hello":"世界","n":1}""");
        await InsertAsync(folder, row);

        await using var factory = PortalFactory.Create(folder);
        _ = factory.Services;

        var request = await receiver.WaitForRequestToAsync("/boot", Eventually.DefaultTimeout);
        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"hello":"世界","n":1}""", request.Body);
        Assert.Equal("msg_" + row.Id.ToString("N"), request.Header("webhook-id"));
        var delivered = await factory.WaitForDeliveryAsync(row.Id, d => d.Status != DeliveryStatus.Pending, "finished");
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        WebhookAssert.HasStandardHeaders(request, delivered, "user.created", withBody: true);
        Assert.Equal(1, delivered.AttemptCount);
        Assert.True(Assert.Single(delivered.Attempts).Succeeded);
    }

    [Fact]
    public async Task Sends_a_delivery_whose_lease_expired_after_its_owner_died()
    {
        using var folder = new TempDirectory();
        await using var receiver = await LoopbackReceiver.StartAsync();
        await CreateDatabaseAsync(folder);
        var row = NewPendingDelivery(receiver.Url("/crashed"), """{"crashed":true}""");
        row.LeaseOwner = "4242-a-process-that-crashed";
        row.LeaseUntil = DateTime.UtcNow.AddMinutes(-1);
        await InsertAsync(folder, row);

        await using var factory = PortalFactory.Create(folder);
        _ = factory.Services;

        var request = await receiver.WaitForRequestToAsync("/crashed", Eventually.DefaultTimeout);
        Assert.Equal("msg_" + row.Id.ToString("N"), request.Header("webhook-id"));
        var delivered = await factory.WaitForDeliveryAsync(row.Id, d => d.Status != DeliveryStatus.Pending, "finished");
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        Assert.Null(delivered.LeaseOwner);
        Assert.Null(delivered.LeaseUntil);
    }

    /// <summary>Starts a host once so it migrates the database, then stops it.</summary>
    private static async Task CreateDatabaseAsync(TempDirectory folder)
    {
        await using var first = PortalFactory.Create(folder);
        await using var db = await first.CreateDbContextAsync();
        Assert.Empty(await db.Deliveries.ToListAsync());
    }

    /// <summary>Writes the row with a plain context of its own, while no host is running.</summary>
    private static async Task InsertAsync(TempDirectory folder, DeliveryRow row)
    {
        await using var db = await PortalFactory.OpenDatabaseAsync(folder);
        db.Deliveries.Add(row);
        await db.SaveChangesAsync();
    }

    private static DeliveryRow NewPendingDelivery(string url, string body)
    {
        var now = DateTime.UtcNow;
        return new DeliveryRow
        {
            Id = Guid.CreateVersion7(),
            ClientId = "offline-client",
            WebhookName = "Queued offline",
            EventId = Guid.NewGuid(),
            Action = UserAction.Created,
            EventType = UserAction.Created.EventType(),
            UserId = Guid.NewGuid().ToString(),
            UserName = "offline-user",
            Method = "POST",
            Url = url,
            Body = body,
            Status = DeliveryStatus.Pending,
            CreatedAt = now.AddMinutes(-5),
            NextAttemptAt = now.AddMinutes(-5),
        };
    }
}
