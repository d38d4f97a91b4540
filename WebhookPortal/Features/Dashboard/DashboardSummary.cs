namespace WebhookPortal.Features.Dashboard;

/// <summary>What the dashboard shows: how much is configured and how deliveries went in the last 24 hours.</summary>
/// <param name="Hours">24 hourly buckets, oldest first; the last is the current (partial) hour.</param>
public sealed record DashboardSummary(int Clients, int Webhooks, int Users, IReadOnlyList<DeliveryHour> Hours)
{
    /// <summary>Start (UTC) of the first bucket.</summary>
    public DateTime Since => Hours[0].Start;

    public int Succeeded => Hours.Sum(h => h.Succeeded);
    public int Failed => Hours.Sum(h => h.Failed);
    public int Pending => Hours.Sum(h => h.Pending);
    public int Paused => Hours.Sum(h => h.Paused);

    /// <summary>
    /// Spacing of the chart's horizontal lines: 1, 2 or 5 times a power of ten, giving at most five steps up to the
    /// busiest hour (one delivery gets a step of 1, not the chart's default 20).
    /// </summary>
    public int YAxisStep
    {
        get
        {
            var busiest = Hours.Max(h => h.Succeeded + h.Failed + h.Pending + h.Paused);
            for (long power = 1; ; power *= 10)
            {
                foreach (var factor in (ReadOnlySpan<int>)[1, 2, 5])
                {
                    if (factor * power * 5 >= busiest)
                    {
                        return (int)(factor * power);
                    }
                }
            }
        }
    }
}
