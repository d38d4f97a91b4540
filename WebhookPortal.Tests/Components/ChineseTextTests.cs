using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// How the pages read to a Chinese administrator (issue 6): names family name first, 姓名 for a person, full-width
/// punctuation from the resources, 等待重试 for a delivery waiting for its retry, 共 0 条 (not 第 0-0 条) under an empty table.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ChineseTextTests : PortalDatabaseContext
{
    public ChineseTextTests()
    {
        Services.AddSingleton<UserAdministration>();
        var admin = AddAuthorization();
        admin.SetAuthorized("admin");
        admin.SetRoles(AdminOptions.Role);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        Assert.True((await users.CreateAsync(new PortalUser { UserName = "zhangwei", Email = "zhangwei@example.com", FirstName = "伟", LastName = "张" }, "Str0ng!pass")).Succeeded);
        Assert.True((await users.CreateAsync(new PortalUser { UserName = "lina", Email = "lina@example.com", FirstName = "Na", LastName = "Li" }, "Str0ng!pass")).Succeeded);
        await using var db = await NewDbContextAsync();
        db.Clients.Add(new Client { ClientId = "demo-client", CreatedAt = DateTime.UtcNow, Webhooks = [NewWebhook("New users", DateTime.UtcNow)] });
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Users_page_shows_a_Chinese_name_family_name_first_under_the_heading_姓名()
    {
        InCulture("zh-CN", () =>
        {
            var cut = RenderWithProviders<UsersPage>();

            cut.WaitForAssertion(() => Assert.Equal("张伟", NameOf(cut, "zhangwei")), Timeout);
            Assert.Equal("Na Li", NameOf(cut, "lina"));
            Assert.Contains("姓名", cut.FindAll("th").Select(th => th.TextContent.Trim()));
            Assert.DoesNotContain("名称", cut.FindAll("th").Select(th => th.TextContent.Trim()));
        });
    }

    [Fact]
    public void Users_page_in_English_keeps_given_name_first_for_Latin_names()
    {
        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal("Na Li", NameOf(cut, "lina")), Timeout);
        Assert.Equal("张伟", NameOf(cut, "zhangwei"));
    }

    [Fact]
    public void Client_page_says_对象_with_a_full_width_colon()
    {
        InCulture("zh-CN", () =>
        {
            var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));

            cut.WaitForAssertion(() => Assert.Contains("对象：用户", cut.Markup), Timeout);
            Assert.DoesNotContain("对象:", cut.Markup);
        });
    }

    [Fact]
    public async Task Client_page_shows_a_last_delivery_waiting_for_its_retry_as_等待重试()
    {
        var id = await AddDeliveryAsync("New users", DeliveryStatus.Pending);
        await using (var db = await NewDbContextAsync())
        {
            (await db.Deliveries.FindAsync(id))!.AttemptCount = 1;
            await db.SaveChangesAsync();
        }

        InCulture("zh-CN", () =>
        {
            var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));

            cut.WaitForAssertion(() => Assert.Contains("等待重试", cut.FindAll("tbody .mud-chip").Select(c => c.TextContent.Trim())), Timeout);
        });
    }

    [Theory]
    [InlineData("zh-CN", DeliveryStatus.Pending, 0, "待发送")]
    [InlineData("zh-CN", DeliveryStatus.Pending, 2, "等待重试")]
    [InlineData("zh-CN", DeliveryStatus.Failed, 8, "失败")]
    [InlineData("en", DeliveryStatus.Pending, 0, "Pending")]
    [InlineData("en", DeliveryStatus.Pending, 1, "Waiting to retry")]
    public void A_pending_delivery_that_failed_before_reads_as_waiting_to_retry(string culture, DeliveryStatus status, int attempts, string shown)
    {
        InCulture(culture, () =>
        {
            var cut = Render<DeliveryStatusChip>(p => p.Add(x => x.Status, status).Add(x => x.AttemptCount, attempts));

            Assert.Equal(shown, cut.Find(".mud-chip").TextContent.Trim());
        });
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void An_empty_table_shows_a_count_of_0_instead_of_a_0_0_range(string culture)
    {
        InCulture(culture, () =>
        {
            Services.GetRequiredService<NavigationManager>().NavigateTo("deliveries");
            var cut = RenderWithProviders<DeliveriesPage>();

            cut.WaitForAssertion(() => Assert.Contains(culture == "en" ? "No deliveries yet" : "还没有投递", cut.Find(".mud-table").TextContent), Timeout);
            var pager = cut.Find(".mud-table-pagination").TextContent;
            Assert.DoesNotContain("0-0", pager);
            Assert.Contains(culture == "en" ? "0 items" : "共 0 条", pager);
        });
    }

    [Fact]
    public void The_reconnect_dialog_speaks_Chinese_with_the_seconds_inside_its_sentence() => InCulture("zh-CN", () =>
    {
        var cut = Render<WebhookPortal.Components.Layout.ReconnectModal>();

        Assert.Contains("正在重新连接服务器…", cut.Markup);
        Assert.Equal("重新连接失败， 秒后重试。", cut.Find(".components-reconnect-repeated-attempt-visible").TextContent.Trim());
        Assert.NotNull(cut.Find(".components-reconnect-repeated-attempt-visible #components-seconds-to-next-attempt"));
        Assert.Equal("重试", cut.Find("#components-reconnect-button").TextContent.Trim());
        Assert.DoesNotContain("Rejoin", cut.Markup, StringComparison.Ordinal);
    });

    private static string NameOf(IRenderedComponent<MudProviders> cut, string userName) =>
        cut.FindAll("tbody tr").Single(tr => tr.QuerySelector("td")!.TextContent.Trim().StartsWith(userName, StringComparison.Ordinal))
            .QuerySelectorAll("td")[2].TextContent.Trim();

}
