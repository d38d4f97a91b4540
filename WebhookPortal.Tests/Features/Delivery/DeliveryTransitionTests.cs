using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using DeliveryRow = WebhookPortal.Features.Delivery.Delivery;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>
/// Delivery's state transitions: each leaves Status, schedule, completion time and lease consistent, and those that end or
/// reschedule a delivery refuse one that is no longer pending.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DeliveryTransitionTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 6, 0, 0, DateTimeKind.Utc);

    private static DeliveryRow Leased() => new()
    {
        Id = Guid.CreateVersion7(),
        Status = DeliveryStatus.Pending,
        CreatedAt = Now.AddMinutes(-5),
        NextAttemptAt = Now.AddMinutes(-1),
        LeaseOwner = "instance/1-abc",
        LeaseUntil = Now.AddMinutes(2),
        LastError = "earlier",
    };

    private static (DeliveryStatus, DateTime?, DateTime?, DateTime?, string?) State(DeliveryRow d) =>
        (d.Status, d.NextAttemptAt, d.CompletedAt, d.LeaseUntil, d.LeaseOwner);

    [Fact]
    public void Succeeding_ends_the_delivery_with_no_schedule_and_no_lease()
    {
        var delivery = Leased();

        delivery.Succeed(Now);

        Assert.Equal((DeliveryStatus.Succeeded, null, Now, null, null), State(delivery));
    }

    [Fact]
    public void Failing_ends_the_delivery_with_no_schedule_and_no_lease()
    {
        var delivery = Leased();

        delivery.Fail(Now);

        Assert.Equal((DeliveryStatus.Failed, null, Now, null, null), State(delivery));
    }

    [Fact]
    public void Scheduling_a_retry_keeps_it_pending_due_then_and_releases_the_lease()
    {
        var delivery = Leased();

        delivery.ScheduleRetry(Now.AddMinutes(5));

        Assert.Equal((DeliveryStatus.Pending, Now.AddMinutes(5), null, null, null), State(delivery));
    }

    [Fact]
    public void Deferring_keeps_it_pending_due_then_with_the_note_as_its_last_error()
    {
        var withNote = Leased();
        var silent = Leased();

        withNote.Defer(Now.AddSeconds(30), "circuit open");
        silent.Defer(Now.AddSeconds(30));

        Assert.Equal((DeliveryStatus.Pending, Now.AddSeconds(30), null, null, null), State(withNote));
        Assert.Equal("circuit open", withNote.LastError);
        Assert.Equal(State(withNote), State(silent));
        Assert.Equal("earlier", silent.LastError);
    }

    [Fact]
    public void Releasing_gives_up_only_the_lease()
    {
        var delivery = Leased();

        delivery.Release();

        Assert.Equal((DeliveryStatus.Pending, Now.AddMinutes(-1), null, null, null), State(delivery));
    }

    [Fact]
    public void Cancelling_ends_the_delivery_with_the_reason_and_keeps_the_lease_of_an_attempt_in_flight()
    {
        var delivery = Leased();
        var reason = new CodedMessage(MessageCodes.WebhookDeleted);

        delivery.Cancel(reason, Now);

        Assert.Equal((DeliveryStatus.Cancelled, null, Now, Now.AddMinutes(2), "instance/1-abc"), State(delivery));
        Assert.Equal(reason.Serialize(), delivery.LastError);
    }

    [Fact]
    public void Requeueing_an_ended_delivery_makes_it_pending_and_due_now_without_a_lease()
    {
        var delivery = Leased();
        delivery.Fail(Now.AddMinutes(-10));
        delivery.LeaseOwner = "dead/1-abc";
        delivery.LeaseUntil = Now.AddMinutes(-8);

        delivery.Requeue(Now);

        Assert.Equal((DeliveryStatus.Pending, Now, null, null, null), State(delivery));
    }

    [Fact]
    public void Leasing_sets_the_owner_and_the_end()
    {
        var delivery = Leased();
        delivery.Release();

        delivery.Lease("send-test-1", Now.AddMinutes(2));

        Assert.Equal((DeliveryStatus.Pending, Now.AddMinutes(-1), null, Now.AddMinutes(2), "send-test-1"), State(delivery));
    }

    [Theory]
    [InlineData(DeliveryStatus.Succeeded)]
    [InlineData(DeliveryStatus.Failed)]
    [InlineData(DeliveryStatus.Cancelled)]
    public void An_ended_delivery_cannot_succeed_fail_retry_defer_cancel_or_be_leased(DeliveryStatus ended)
    {
        var delivery = Leased();
        delivery.Status = ended;
        var before = State(delivery);

        Assert.Throws<InvalidOperationException>(() => delivery.Succeed(Now));
        Assert.Throws<InvalidOperationException>(() => delivery.Fail(Now));
        Assert.Throws<InvalidOperationException>(() => delivery.ScheduleRetry(Now));
        Assert.Throws<InvalidOperationException>(() => delivery.Defer(Now, "note"));
        Assert.Throws<InvalidOperationException>(() => delivery.Cancel(new CodedMessage(MessageCodes.WebhookDeleted), Now));
        Assert.Throws<InvalidOperationException>(() => delivery.Lease("other", Now));
        Assert.Equal(before, State(delivery));
    }
}
