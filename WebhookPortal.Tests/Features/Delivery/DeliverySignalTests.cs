using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The dispatcher's wait ends at the earliest retry it scheduled, not only after the poll interval.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DeliverySignalTests
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_due_time_sooner_than_the_poll_interval_ends_the_wait_then()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        var signal = new DeliverySignal();

        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(2));
        // The wait under way ends at once, so the next one is measured to the new time.
        await signal.WaitAsync(PollInterval, time, CancellationToken.None).WaitAsync(Bound);
        var wait = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_later_due_time_neither_wakes_nor_shortens_the_wait_for_an_earlier_one()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        var signal = new DeliverySignal();
        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(2));
        await signal.WaitAsync(PollInterval, time, CancellationToken.None).WaitAsync(Bound);

        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(30));
        var wait = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        await wait.WaitAsync(Bound);
    }

    [Fact]
    public async Task Once_the_due_time_has_passed_the_wait_is_the_poll_interval_again()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        var signal = new DeliverySignal();
        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(1));
        await signal.WaitAsync(PollInterval, time, CancellationToken.None).WaitAsync(Bound);
        var due = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await due.WaitAsync(Bound);

        var next = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        await next.WaitAsync(Bound);
    }
}
