using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Dashboard;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Components;

/// <summary>The dashboard (<c>/</c>) and its hourly delivery counts, on a real SQLite file with a fixed clock.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class DashboardPageTests : PortalDatabaseContext
{
    private static readonly DateTime Now = new(2026, 11, 29, 14, 30, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider time = new(Now);

    public DashboardPageTests() => Services.AddSingleton<TimeProvider>(time);

    [Fact]
    public async Task Counts_the_last_24_hours_of_deliveries_per_hour_and_state()
    {
        await SeedAsync();

        var summary = await Services.GetRequiredService<DashboardQueries>().LoadAsync();

        Assert.Equal((1, 1, 0), (summary.Clients, summary.Webhooks, summary.Users));
        Assert.Equal(24, summary.Hours.Count);
        Assert.Equal(new DateTime(2026, 11, 28, 15, 0, 0, DateTimeKind.Utc), summary.Since);
        Assert.Equal(new DeliveryHour(new DateTime(2026, 11, 28, 15, 0, 0, DateTimeKind.Utc), 1, 0, 0), summary.Hours[0]);
        Assert.Equal(new DeliveryHour(new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc), 0, 2, 0), summary.Hours[18]);
        Assert.Equal(new DeliveryHour(new DateTime(2026, 11, 29, 14, 0, 0, DateTimeKind.Utc), 2, 0, 1), summary.Hours[23]);
        // The delivery from 25 hours ago and the cancelled one are not counted.
        Assert.Equal((3, 2, 1), (summary.Succeeded, summary.Failed, summary.Pending));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(11, 5)]
    [InlineData(26, 10)]
    [InlineData(1000, 200)]
    [InlineData(int.MaxValue, 500_000_000)]
    public void The_chart_steps_by_1_2_or_5_times_a_power_of_ten_with_at_most_five_steps(int busiestHour, int step)
    {
        var hours = Enumerable.Range(0, DashboardQueries.HourCount)
            .Select(i => new DeliveryHour(Now.AddHours(i - 23), i == 7 ? busiestHour : 0, 0, 0)).ToList();

        Assert.Equal(step, new DashboardSummary(0, 0, 0, hours).YAxisStep);
    }

    [Fact]
    public async Task Links_each_state_to_the_Deliveries_page_filtered_from_the_first_hours_day()
    {
        await SeedAsync();

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Contains("Failed: 2", cut.Markup), Timeout);
        var failed = cut.FindAll("a").Single(a => a.TextContent.Trim() == "Failed: 2");
        Assert.Equal("deliveries?status=Failed&from=2026-11-28", failed.GetAttribute("href"));
        Assert.Contains("Succeeded: 3", cut.Markup);
        Assert.Contains("Pending: 1", cut.Markup);
    }

    [Fact]
    public async Task Counts_a_disabled_webhooks_pending_deliveries_as_Paused_beside_Pending_and_links_them()
    {
        await SeedAsync();
        await using (var db = await NewDbContextAsync())
        {
            var webhook = NewWebhook("Switched off", Now);
            webhook.Enabled = false;
            webhook.ClientKey = (await db.Clients.SingleAsync()).Id;
            db.Webhooks.Add(webhook);
            await db.SaveChangesAsync();
            db.Deliveries.AddRange(Row(webhook, new DateTime(2026, 11, 29, 14, 5, 0, DateTimeKind.Utc)), Row(webhook, new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc)));
            await db.SaveChangesAsync();
        }

        var summary = await Services.GetRequiredService<DashboardQueries>().LoadAsync();
        Assert.Equal((1, 2), (summary.Pending, summary.Paused));
        Assert.Equal(new DeliveryHour(new DateTime(2026, 11, 29, 14, 0, 0, DateTimeKind.Utc), 2, 0, 1, 1), summary.Hours[23]);

        var cut = RenderWithProviders<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Contains("Paused: 2", cut.Markup), Timeout);
        Assert.Equal("deliveries?status=Paused&from=2026-11-28", cut.FindAll("a").Single(a => a.TextContent.Trim() == "Paused: 2").GetAttribute("href"));
        Assert.Contains("Pending: 1", cut.Markup);

        static Delivery Row(WebhookPortal.Features.Webhooks.Webhook webhook, DateTime at) => new()
        {
            Id = Guid.NewGuid(), WebhookId = webhook.Id, ClientId = "demo-client", WebhookName = webhook.Name, EventId = Guid.NewGuid(),
            Action = UserAction.Created, EventType = "user.created", UserId = "u2", UserName = "user02", Url = webhook.Url,
            Status = DeliveryStatus.Pending, CreatedAt = at, NextAttemptAt = at,
        };
    }

    [Fact]
    public void Without_clients_it_says_where_to_start()
    {
        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Contains("Get started", cut.Markup), Timeout);
        Assert.Contains("No deliveries in the last 24 hours", cut.Markup);
        Assert.Equal("clients", cut.FindAll("a").Single(a => a.TextContent.Trim() == "Go to Docking Portal").GetAttribute("href"));
    }

    [Fact]
    public void Renders_in_Simplified_Chinese_under_zh_CN() => InCulture("zh-CN", () =>
    {
        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Contains("仪表盘", cut.Find("h1").TextContent), Timeout);
        Assert.Contains("全局管理", cut.Markup);
        Assert.Contains("接入管理", cut.Markup);
        Assert.DoesNotContain("Get started", cut.Markup);
        // No space between Chinese text and the link, nor before the full-width comma.
        var firstStep = cut.Find("ol li").TextContent.Trim();
        Assert.StartsWith("打开全局管理", firstStep);
        Assert.Contains("接入管理，", firstStep);
    });

    private async Task SeedAsync()
    {
        await using var db = await NewDbContextAsync();
        var client = new Client { ClientId = "demo-client", CreatedAt = Now };
        client.Webhooks.Add(NewWebhook("Alerts", Now));
        db.Clients.Add(client);
        await db.SaveChangesAsync();

        var webhook = await db.Webhooks.SingleAsync(w => w.Name == "Alerts");
        void Add(DateTime at, DeliveryStatus status) => db.Deliveries.Add(new Delivery
        {
            Id = Guid.NewGuid(), WebhookId = webhook.Id, ClientId = client.ClientId, WebhookName = webhook.Name,
            EventId = Guid.NewGuid(), Action = UserAction.Created, EventType = "user.created", UserId = "u1", UserName = "user01",
            Url = webhook.Url, Status = status, CreatedAt = at,
        });
        Add(Now.AddHours(-25), DeliveryStatus.Succeeded);
        Add(new DateTime(2026, 11, 28, 15, 0, 0, DateTimeKind.Utc), DeliveryStatus.Succeeded);
        Add(new DateTime(2026, 11, 29, 9, 5, 0, DateTimeKind.Utc), DeliveryStatus.Failed);
        Add(new DateTime(2026, 11, 29, 9, 59, 59, DateTimeKind.Utc), DeliveryStatus.Failed);
        Add(new DateTime(2026, 11, 29, 14, 0, 0, DateTimeKind.Utc), DeliveryStatus.Succeeded);
        Add(new DateTime(2026, 11, 29, 14, 29, 0, DateTimeKind.Utc), DeliveryStatus.Succeeded);
        Add(new DateTime(2026, 11, 29, 14, 10, 0, DateTimeKind.Utc), DeliveryStatus.Pending);
        Add(new DateTime(2026, 11, 29, 14, 11, 0, DateTimeKind.Utc), DeliveryStatus.Cancelled);
        await db.SaveChangesAsync();
    }
}
