using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The delivery meter, read with <see cref="MetricCollector{T}"/> scoped to one host's meter factory, while the real dispatcher sends.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveryMetricsTests(HourlyRetryPortal portal) : IClassFixture<HourlyRetryPortal>, IAsyncLifetime
{
    // One failure schedules a retry an hour away, so each delivery records exactly one attempt here.
    private readonly PortalFactory factory = portal.Factory;

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private IMeterFactory Meters => factory.Services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task Counts_every_recorded_attempt_by_outcome_and_records_its_duration_in_seconds()
    {
        using var counted = new MetricCollector<long>(Meters, DeliveryMetrics.MeterName, DeliveryMetrics.DeliveriesInstrument);
        using var durations = new MetricCollector<double>(Meters, DeliveryMetrics.MeterName, DeliveryMetrics.AttemptDurationInstrument);
        receiver.RespondWith(r => new ReceiverResponse(r.Path switch { "/ok" => 200, "/bad" => 400, _ => 500 }));
        await factory.UseOnlyWebhookAsync(receiver.Url("/ok"), UserAction.Created, name: "ok");
        await factory.AddWebhookAsync(receiver.Url("/bad"), UserAction.Created, name: "bad");
        await factory.AddWebhookAsync(receiver.Url("/down"), UserAction.Created, name: "down");

        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("metrics")));

        var measurements = await Eventually.MatchesAsync(
            () => Task.FromResult(counted.GetMeasurementSnapshot()), m => m.Count >= 3, "three counted attempts",
            describe: m => string.Join(", ", m.Select(x => $"{x.Value} {x.Tags[DeliveryMetrics.OutcomeTag]}")));
        Assert.Equal(
            [DeliveryMetrics.Failed, DeliveryMetrics.RetryScheduled, DeliveryMetrics.Succeeded],
            measurements.Select(m => (string)m.Tags[DeliveryMetrics.OutcomeTag]!).Order());
        Assert.All(measurements, m => Assert.Equal(1, m.Value));
        var timed = durations.GetMeasurementSnapshot();
        Assert.Equal(3, timed.Count);
        Assert.All(timed, m => Assert.InRange(m.Value, 0, 60));
        Assert.Equal("s", durations.Instrument!.Unit);
        var deliveries = await factory.DeliveriesAsync();
        Assert.Equal(
            [DeliveryStatus.Pending, DeliveryStatus.Succeeded, DeliveryStatus.Failed],
            [.. new[] { "down", "ok", "bad" }.Select(n => deliveries.Single(d => d.WebhookName == n).Status)]);
    }

    [Fact]
    public async Task Gauges_report_the_pending_deliveries_and_the_age_of_the_oldest_leaving_paused_ones_out()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/later"), UserAction.Created);
        var disabled = await factory.AddWebhookAsync(receiver.Url("/off"), UserAction.Created, name: "off", enabled: false);
        using var depth = new MetricCollector<long>(Meters, DeliveryMetrics.MeterName, DeliveryMetrics.QueueDepthInstrument);
        using var age = new MetricCollector<double>(Meters, DeliveryMetrics.MeterName, DeliveryMetrics.OldestPendingAgeInstrument);
        var now = DateTime.UtcNow;
        await using (var db = await factory.CreateDbContextAsync())
        {
            // Due in an hour, so the dispatcher leaves them pending; the succeeded one is old but does not count.
            db.Deliveries.AddRange(
                Row(DeliveryStatus.Pending, now.AddMinutes(-10)), Row(DeliveryStatus.Pending, now.AddMinutes(-5)),
                Row(DeliveryStatus.Pending, now), Row(DeliveryStatus.Succeeded, now.AddDays(-1)));
            // Paused (its webhook is disabled): it waits on purpose, so neither gauge counts it.
            var paused = Row(DeliveryStatus.Pending, now.AddDays(-2));
            paused.WebhookId = disabled.Id;
            db.Deliveries.Add(paused);
            await db.SaveChangesAsync();
        }

        depth.RecordObservableInstruments();
        age.RecordObservableInstruments();

        Assert.Equal(3, depth.LastMeasurement?.Value);
        Assert.InRange(age.LastMeasurement?.Value ?? -1, 600, 3600);
        Assert.Equal("s", age.Instrument!.Unit);
    }

    private static WebhookPortal.Features.Delivery.Delivery Row(DeliveryStatus status, DateTime createdAt) => new()
    {
        Id = Guid.CreateVersion7(), ClientId = "test-client", WebhookName = "Test webhook", EventId = Guid.NewGuid(),
        Action = UserAction.Created, EventType = "user.created", UserId = "u1", UserName = "user01", Url = "http://127.0.0.1:9/later",
        Status = status, CreatedAt = createdAt,
        NextAttemptAt = status == DeliveryStatus.Pending ? DateTime.UtcNow.AddHours(1) : null,
        CompletedAt = status == DeliveryStatus.Pending ? null : createdAt,
    };
}
