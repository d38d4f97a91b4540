namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The last sequence number given to an event about one user (table <c>UserSequences</c>). The outbox counts it up with one
/// upsert … RETURNING in the transaction that writes the event's deliveries, so the row stays locked until that commit: two
/// events about one user get distinct numbers, and the later number commits later (SQLite's single writer; PostgreSQL's row
/// lock). No foreign key to the user: a user's deletion is itself an event that needs a number, and the row outlives it.
/// </summary>
public sealed class UserSequence
{
    /// <summary>The Identity user id.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The number of the user's latest queued event; the first is 1.</summary>
    public long Last { get; set; }
}
