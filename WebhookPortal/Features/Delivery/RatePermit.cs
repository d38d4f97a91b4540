namespace WebhookPortal.Features.Delivery;

/// <summary>
/// The permits one rate-limit rule has given one webhook in the last three half-windows (table <c>RatePermits</c>), shared
/// by every instance on a PostgreSQL database (<see cref="DatabaseRatePermits"/>). Times are Unix milliseconds so that one
/// statement reads the same on SQLite and PostgreSQL. No foreign key: a row of a deleted webhook or an old rule expires
/// (<see cref="ExpiresAt"/>) and the daily purge removes it.
/// </summary>
public sealed class RatePermit
{
    public int WebhookId { get; set; }

    public WebhookTarget Target { get; set; }

    /// <summary>The rule's position in the target's <see cref="DeliveryOptions.RateLimits"/>.</summary>
    public int Rule { get; set; }

    /// <summary>Start of the current segment (half the rule's window), Unix milliseconds, a multiple of the segment's length.</summary>
    public long SegmentStart { get; set; }

    /// <summary>Permits given in the current segment.</summary>
    public int Count { get; set; }

    /// <summary>Permits given in the segment before it.</summary>
    public int PreviousCount { get; set; }

    /// <summary>Permits given in the segment before that one.</summary>
    public int EarlierCount { get; set; }

    /// <summary>Unix milliseconds after which the row counts nothing: three segments after <see cref="SegmentStart"/>.</summary>
    public long ExpiresAt { get; set; }
}
