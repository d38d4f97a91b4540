using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Features.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// The dispatcher's wait ends at the earliest retry it scheduled, not only after the poll interval; a retry due after the wait
/// would end anyway neither wakes it nor is told to the other instances.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DeliverySignalTests
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_due_time_sooner_than_the_poll_interval_ends_the_wait_then()
    {
        var time = NewTime();
        var signal = new DeliverySignal();
        var wait = signal.WaitAsync(PollInterval, time, CancellationToken.None);

        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(2));
        // The wait under way ends at once, so the next one is measured to the new time.
        await wait.WaitAsync(Bound);
        wait = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_due_time_given_between_waits_measures_the_next_wait_without_waking_it()
    {
        var time = NewTime();
        var signal = new DeliverySignal();

        Assert.True(signal.WakeAtHere(time.GetUtcNow().UtcDateTime.AddSeconds(2)));
        Assert.False(signal.WakeAtHere(time.GetUtcNow().UtcDateTime.AddSeconds(3)));
        var wait = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_later_due_time_neither_wakes_nor_shortens_the_wait_for_an_earlier_one()
    {
        var time = NewTime();
        var signal = new DeliverySignal();
        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(2));
        var wait = signal.WaitAsync(PollInterval, time, CancellationToken.None);

        Assert.False(signal.WakeAtHere(time.GetUtcNow().UtcDateTime.AddSeconds(30)));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await wait.WaitAsync(Bound);
    }

    [Fact]
    public async Task Once_the_due_time_has_passed_the_wait_is_the_poll_interval_again()
    {
        var time = NewTime();
        var signal = new DeliverySignal();
        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(1));
        var due = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await due.WaitAsync(Bound);

        var next = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        await next.WaitAsync(Bound);
    }

    [Fact]
    public async Task After_a_due_time_was_reached_a_retry_due_after_the_wait_neither_wakes_it_nor_is_relayed()
    {
        var time = NewTime();
        var signal = new DeliverySignal();
        var relayed = new List<DateTime?>();
        signal.Relay = relayed.Add;
        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddSeconds(1));
        var due = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await due.WaitAsync(Bound);
        relayed.Clear();

        // The wait in progress ends in an hour by itself: retries two hours away are made by a look after it anyway.
        var wait = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddHours(2));
        signal.WakeAt(time.GetUtcNow().UtcDateTime.AddHours(2).AddSeconds(1));
        Assert.Empty(relayed);
        Assert.False(signal.WakeAtHere(time.GetUtcNow().UtcDateTime.AddHours(1)));
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.False(wait.IsCompleted);

        // One due before that end wakes it, and is told to the other instances.
        var soon = time.GetUtcNow().UtcDateTime.AddMinutes(10);
        signal.WakeAt(soon);
        await wait.WaitAsync(Bound);
        Assert.Equal(soon, Assert.Single(relayed));

        var next = signal.WaitAsync(PollInterval, time, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        await next.WaitAsync(Bound);
    }

    private static FakeTimeProvider NewTime() => new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
}
