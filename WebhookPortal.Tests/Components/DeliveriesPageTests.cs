using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Components;

/// <summary>The delivery log on a real SQLite file: filters in the URL, server paging and sorting, live refresh.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DeliveriesPageTests : PortalDatabaseContext
{
    private const string Table = ".mud-table";
    private const string Filters = ".delivery-filters";
    private static readonly DateTime Day1 = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Day2 = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Day3 = new(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        var now = DateTime.UtcNow;
        db.Clients.AddRange(
            new Client { ClientId = "demo-client", CreatedAt = now, Webhooks = [NewWebhook("New users", now), NewWebhook("Logins", now)] },
            new Client { ClientId = "hr-system", CreatedAt = now, Webhooks = [NewWebhook("HR users", now)] });
        // 30 pending deliveries of demo-client / New users (more than a page), then a few distinct ones.
        for (var i = 0; i < 30; i++)
        {
            db.Deliveries.Add(Row("demo-client", "New users", DeliveryStatus.Pending, UserAction.Created, Day1.AddMinutes(i), $"bulk{i:00}"));
        }

        db.Deliveries.AddRange(
            Row("demo-client", "Logins", DeliveryStatus.Failed, UserAction.LoggedIn, Day2, "failed-login", attempts: 7),
            Row("hr-system", "HR users", DeliveryStatus.Failed, UserAction.Created, Day2.AddHours(1), "failed-hr", attempts: 3),
            Row("hr-system", "HR users", DeliveryStatus.Succeeded, UserAction.Created, Day3, "ok-hr", attempts: 1));
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Shows_the_newest_deliveries_first_with_the_total()
    {
        var cut = RenderPage("deliveries");

        cut.WaitForAssertion(() => Assert.Equal(["ok-hr", "failed-hr", "failed-login", "bulk29"], UserNames(cut).Take(4)), Timeout);
        Assert.Contains("1-25 of 33", Pager(cut));
    }

    [Fact]
    public void A_link_with_status_and_client_shows_only_those_deliveries()
    {
        var cut = RenderPage("deliveries?status=Failed&client=HR-SYSTEM");

        cut.WaitForAssertion(() => Assert.Equal(["failed-hr"], UserNames(cut)), Timeout);
    }

    [Fact]
    public void A_link_with_a_day_range_shows_the_deliveries_created_on_those_days()
    {
        var cut = RenderPage("deliveries?from=2026-11-28&to=2026-11-28");

        cut.WaitForAssertion(() => Assert.Equal(["failed-hr", "failed-login"], UserNames(cut)), Timeout);
    }

    [Fact]
    public void A_link_with_part_of_a_client_id_shows_that_clients_deliveries()
    {
        var cut = RenderPage("deliveries?status=Failed&client=HR-sys");

        cut.WaitForAssertion(() => Assert.Equal(["failed-hr"], UserNames(cut)), Timeout);
    }

    [Fact]
    public void A_from_date_after_the_to_date_says_so_at_the_from_field()
    {
        var cut = RenderPage("deliveries?from=2026-11-29&to=2026-11-27");

        cut.WaitForAssertion(() => Assert.Contains(
            "From (2026-11-29) is after To (2026-11-27), so no delivery can match; choose a From date on or before the To date.",
            cut.Find(Filters).TextContent), Timeout);
    }

    [Fact]
    public void A_link_with_part_of_a_webhook_name_and_an_action_narrows_the_rows()
    {
        var cut = RenderPage("deliveries?webhook=login&action=LoggedIn");

        cut.WaitForAssertion(() => Assert.Equal(["failed-login"], UserNames(cut)), Timeout);
    }

    [Fact]
    public async Task Choosing_a_status_filters_the_rows_and_writes_it_into_the_url()
    {
        var cut = RenderPage("deliveries");
        cut.WaitForAssertion(() => Assert.Equal(25, UserNames(cut).Count), Timeout);

        await cut.SelectAsync(Filters, "Status", "Succeeded");

        cut.WaitForAssertion(() => Assert.Equal(["ok-hr"], UserNames(cut)), Timeout);
        Assert.EndsWith("deliveries?status=Succeeded", Navigation.Uri);
    }

    [Fact]
    public async Task Typing_a_client_id_filters_the_rows_and_writes_it_into_the_url()
    {
        var cut = RenderPage("deliveries?status=Failed");
        cut.WaitForAssertion(() => Assert.Equal(["failed-hr", "failed-login"], UserNames(cut)), Timeout);

        await cut.FillAsync(Filters, "Client ID", "demo-client");

        cut.WaitForAssertion(() => Assert.Equal(["failed-login"], UserNames(cut)), Timeout);
        Assert.Contains("status=Failed", Navigation.Uri);
        Assert.Contains("client=demo-client", Navigation.Uri);
    }

    [Fact]
    public async Task A_disabled_webhooks_pending_delivery_is_listed_as_Paused_and_only_under_that_filter()
    {
        await AddDeliveryAsync("HR users", DeliveryStatus.Pending, Day3.AddHours(1));
        await using (var db = await NewDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Name == "HR users").ExecuteUpdateAsync(s => s.SetProperty(w => w.Enabled, false));
        }

        var cut = RenderPage("deliveries");
        cut.WaitForAssertion(() => Assert.Equal("user01", UserNames(cut)[0]), Timeout);
        Assert.Equal("Paused", cut.Find("tbody tr td[data-label='Status']").TextContent.Trim());

        await cut.SelectAsync(Filters, "Status", "Paused");
        cut.WaitForAssertion(() => Assert.Equal(["user01"], UserNames(cut)), Timeout);
        Assert.EndsWith("deliveries?status=Paused", Navigation.Uri);

        await cut.SelectAsync(Filters, "Status", "Pending");
        cut.WaitForAssertion(() => Assert.Contains("1-25 of 30", Pager(cut)), Timeout);
        Assert.DoesNotContain("user01", UserNames(cut));
    }

    [Fact]
    public void Filters_matching_nothing_say_so()
    {
        var cut = RenderPage("deliveries?status=Cancelled");

        cut.WaitForAssertion(() => Assert.Contains("No delivery matches the filters.", cut.Find(Table).TextContent), Timeout);
    }

    [Fact]
    public async Task Sorting_by_attempts_is_done_by_the_database_across_pages()
    {
        var cut = RenderPage("deliveries?status=Failed");
        cut.WaitForAssertion(() => Assert.Equal(2, UserNames(cut).Count), Timeout);

        await cut.InvokeAsync(() => cut.FindAll(".mud-table-sort-label").Single(l => l.TextContent.Contains("Attempts")).ClickAsync(new()));

        cut.WaitForAssertion(() => Assert.Equal(["failed-hr", "failed-login"], UserNames(cut)), Timeout);
        await cut.InvokeAsync(() => cut.FindAll(".mud-table-sort-label").Single(l => l.TextContent.Contains("Attempts")).ClickAsync(new()));
        cut.WaitForAssertion(() => Assert.Equal(["failed-login", "failed-hr"], UserNames(cut)), Timeout);
    }

    [Fact]
    public async Task A_published_change_reloads_the_rows_but_keeps_the_filter_and_the_page()
    {
        var cut = RenderPage("deliveries?status=Pending");
        cut.WaitForAssertion(() => Assert.Contains("1-25 of 30", Pager(cut)), Timeout);
        await cut.InvokeAsync(() => cut.Find("button[aria-label='Next page']").ClickAsync(new()));
        cut.WaitForAssertion(() => Assert.Contains("26-30 of 30", Pager(cut)), Timeout);

        await using (var db = await NewDbContextAsync())
        {
            db.Deliveries.AddRange(
                Row("demo-client", "New users", DeliveryStatus.Pending, UserAction.Created, Day1.AddSeconds(-1), "older-pending"),
                Row("demo-client", "New users", DeliveryStatus.Failed, UserAction.Created, Day3.AddDays(1), "new-failure"));
            await db.SaveChangesAsync();
        }

        Services.GetRequiredService<DeliveryFeed>().Publish();

        cut.WaitForAssertion(() => Assert.Contains("26-31 of 31", Pager(cut)), Timeout);
        Assert.Equal("older-pending", UserNames(cut).Last());
        Assert.DoesNotContain("new-failure", UserNames(cut));
        Assert.EndsWith("deliveries?status=Pending", Navigation.Uri);
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<MudProviders> RenderPage(string relativeUri)
    {
        Navigation.NavigateTo(relativeUri);
        return RenderWithProviders<DeliveriesPage>();
    }

    private static string Pager(IRenderedComponent<MudProviders> cut) => cut.Find(".mud-table-pagination").TextContent;

    private static List<string> UserNames(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll("tbody tr td[data-label='User']").Select(td => td.TextContent.Trim())];

    private static Delivery Row(string clientId, string webhookName, DeliveryStatus status, UserAction action, DateTime createdAt, string userName, int attempts = 0) => new()
    {
        Id = Guid.CreateVersion7(), ClientId = clientId, WebhookName = webhookName, EventId = Guid.NewGuid(), Action = action,
        EventType = action.EventType(), UserId = userName, UserName = userName, Url = "http://127.0.0.1:9/x", Status = status,
        AttemptCount = attempts, CreatedAt = createdAt,
        NextAttemptAt = status == DeliveryStatus.Pending ? DateTime.UtcNow.AddHours(1) : null,
        CompletedAt = status == DeliveryStatus.Pending ? null : createdAt,
    };
}
