using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The Deliveries page's URL filters: what a link means, and what the page writes back.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DeliveryFilterTests
{
    [Fact]
    public void Parses_every_filter_from_the_query()
    {
        var filter = DeliveryFilter.Parse("failed", " demo-client ", "New", "login", "2026-11-28", "2026-11-29");

        Assert.Equal(
            new DeliveryFilter(DeliveryStatus.Failed, "demo-client", "New", UserAction.LoggedIn, new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 29)),
            filter);
    }

    [Theory]
    [InlineData("Created")]
    [InlineData("created")]
    [InlineData("Create")]
    public void Accepts_the_action_by_enum_name_event_name_or_label(string action) =>
        Assert.Equal(UserAction.Created, DeliveryFilter.Parse(null, null, null, action, null, null).Action);

    [Fact]
    public void Ignores_what_does_not_parse_so_an_old_link_still_opens()
    {
        var filter = DeliveryFilter.Parse("Exploded", "  ", "", "Dance", "29/11/2026", "yesterday");

        Assert.True(filter.IsEmpty);
    }

    [Fact]
    public void Writes_back_what_it_read()
    {
        var filter = new DeliveryFilter(DeliveryStatus.Pending, "hr-system", null, UserAction.Deleted, null, new DateOnly(2026, 1, 2));

        var query = filter.ToQuery();

        Assert.Equal(("Pending", "hr-system", null, "Deleted", null, "2026-01-02"),
            (query["status"], query["client"], query["webhook"], query["action"], query["from"], query["to"]));
        Assert.Equal(filter, DeliveryFilter.Parse((string?)query["status"], (string?)query["client"], (string?)query["webhook"],
            (string?)query["action"], (string?)query["from"], (string?)query["to"]));
    }

    [Fact]
    public void Paused_and_Pending_split_the_stored_pending_rows_by_their_webhooks_switch()
    {
        var on = new WebhookPortal.Features.Webhooks.Webhook { Enabled = true };
        var off = new WebhookPortal.Features.Webhooks.Webhook { Enabled = false };
        var rows = new[]
        {
            Row("pending", DeliveryStatus.Pending, on), Row("paused", DeliveryStatus.Pending, off), Row("no webhook", DeliveryStatus.Pending, null),
            Row("failed", DeliveryStatus.Failed, off),
        }.AsQueryable();

        Assert.Equal(DeliveryStatus.Paused, DeliveryFilter.Parse("paused", null, null, null, null, null).Status);
        Assert.Equal(["paused"], Shown(DeliveryStatus.Paused));
        Assert.Equal(["pending", "no webhook"], Shown(DeliveryStatus.Pending));
        Assert.Equal(["failed"], Shown(DeliveryStatus.Failed));
        Assert.Equal([DeliveryStatus.Pending, DeliveryStatus.Paused, DeliveryStatus.Pending, DeliveryStatus.Failed], rows.Select(PausedDeliveries.Shown));

        List<string> Shown(DeliveryStatus status) => [.. new DeliveryFilter(status).Apply(rows).Select(d => d.UserName)];

        static WebhookPortal.Features.Delivery.Delivery Row(string name, DeliveryStatus status, WebhookPortal.Features.Webhooks.Webhook? webhook) =>
            new() { UserName = name, Status = status, Webhook = webhook };
    }

    [Theory]
    [InlineData("9999-12-31", "9999-12-31")]
    [InlineData(null, "9999-12-31")]
    [InlineData("0001-01-01", "0001-01-01")]
    public void The_ends_of_the_calendar_filter_without_overflowing(string? from, string to)
    {
        var filter = DeliveryFilter.Parse(null, null, null, null, from, to);
        var rows = new[]
        {
            new WebhookPortal.Features.Delivery.Delivery { CreatedAt = new DateTime(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc) },
        }.AsQueryable();

        var shown = filter.Apply(rows).ToList();

        Assert.Equal(from is null ? 1 : 0, shown.Count);
    }
}
