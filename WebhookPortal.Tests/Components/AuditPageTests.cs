using Bunit;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Components;

/// <summary>The Audit log page (<c>/audit</c>) on a real SQLite file: newest first, filtered by object, searched, empty.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AuditPageTests : PortalDatabaseContext
{
    private const string Table = ".mud-table";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        var at = new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);
        var admin = new AuditActor("admin-id", "admin", "203.0.113.7");
        // Oldest first; the page orders by insertion.
        AuditTrail.Add(db, admin, at, "client.created", "client demo-client", null);
        AuditTrail.Add(db, admin, at.AddMinutes(1), "webhook.created", "webhook Alerts (client demo-client)",
            new CodedMessage(MessageCodes.AuditSecrets, MessageArg.OfList([new CodedMessage(MessageCodes.SecretHeaderAdded, "X-Token")], "; ")));
        AuditTrail.Add(db, new AuditActor("alice-id", "alice", null), at.AddMinutes(2), "user.created", "user zhangwei", "UserName,Email");
        AuditTrail.Add(db, AuditActor.System, at.AddMinutes(3), "webhook.secret_rotated", "webhook Alerts (client demo-client)");
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Lists_the_entries_newest_first_with_who_from_where_and_what()
    {
        var cut = RenderPage();

        Assert.Equal(["webhook.secret_rotated", "user.created", "webhook.created", "client.created"], Actions(cut));
        Assert.Equal(["system", "alice", "admin", "admin"], Column(cut, "Who"));
        Assert.Equal(["—", "—", "203.0.113.7", "203.0.113.7"], Column(cut, "Address"));
        Assert.Equal("UserName,Email", Column(cut, "Details")[1]);
    }

    [Fact]
    public async Task Filtering_by_object_keeps_only_that_objects_entries()
    {
        var cut = RenderPage();

        await cut.SelectAsync(Table, "Object", "Webhook");
        cut.WaitForAssertion(() => Assert.Equal(["webhook.secret_rotated", "webhook.created"], Actions(cut)), Timeout);

        await cut.SelectAsync(Table, "Object", "Client");
        cut.WaitForAssertion(() => Assert.Equal(["client.created"], Actions(cut)), Timeout);
    }

    [Fact]
    public async Task Search_matches_actor_subject_and_action_ignoring_case()
    {
        var cut = RenderPage();

        await cut.FillAsync(Table, "Search", "ALICE");
        cut.WaitForAssertion(() => Assert.Equal(["user.created"], Actions(cut)), Timeout);

        await cut.FillAsync(Table, "Search", "demo-client");
        cut.WaitForAssertion(() => Assert.Equal(["webhook.secret_rotated", "webhook.created", "client.created"], Actions(cut)), Timeout);

        await cut.FillAsync(Table, "Search", "secret_rotated");
        cut.WaitForAssertion(() => Assert.Equal(["webhook.secret_rotated"], Actions(cut)), Timeout);
    }

    [Fact]
    public async Task Search_takes_wildcards_literally_and_says_when_nothing_matches()
    {
        var cut = RenderPage();

        await cut.FillAsync(Table, "Search", "%");
        cut.WaitForAssertion(() => Assert.Contains("No entries match the filters.", cut.Find(Table).TextContent), Timeout);
        Assert.Empty(Actions(cut));
    }

    [Fact]
    public async Task An_empty_log_says_nothing_has_been_recorded_yet()
    {
        await using (var db = await NewDbContextAsync())
        {
            await db.AuditEntries.ExecuteDeleteAsync();
        }

        var cut = RenderWithProviders<AuditPage>();

        cut.WaitForAssertion(() => Assert.Contains("Nothing has been recorded yet.", cut.Find(Table).TextContent), Timeout);
        Assert.Empty(Actions(cut));
    }

    [Fact]
    public void Actions_and_coded_details_read_in_Chinese_and_old_details_as_stored()
    {
        InCulture("zh-CN", () =>
        {
            var cut = RenderPage();

            // The columns' data-labels are translated too: 行为 is Action, 详情 is Details.
            Assert.Equal(["webhook.secret_rotated", "用户已创建", "Webhook 创建成功", "客户端已创建"], Column(cut, "行为"));
            Assert.Equal("UserName,Email", Column(cut, "详情")[1]);
            Assert.Equal("保密请求头 X-Token 已添加", Column(cut, "详情")[2]);
        });
    }

    [Fact]
    public async Task Search_finds_actions_by_their_name_in_the_readers_language()
    {
        await InCulture("zh-CN", async () =>
        {
            var cut = RenderPage();

            await cut.FillAsync(Table, "搜索", "创建");
            cut.WaitForAssertion(() => Assert.Equal(["user.created", "webhook.created", "client.created"], Actions(cut)), Timeout);
        });
    }

    [Fact]
    public async Task Filtering_by_action_offers_the_actions_by_name_and_keeps_only_that_action()
    {
        var cut = RenderPage();

        await cut.SelectAsync(Table, "Object", "Webhook");
        cut.WaitForAssertion(() => Assert.Equal(2, Actions(cut).Count), Timeout);
        await cut.SelectAsync(Table, "Action", "Webhook created");
        cut.WaitForAssertion(() => Assert.Equal(["webhook.created"], Actions(cut)), Timeout);
        Assert.Equal(["Webhook created"], Column(cut, "Action"));
    }

    /// <summary>Renders the page and waits for the first page of entries, which the table loads after the first render.</summary>
    private IRenderedComponent<MudProviders> RenderPage()
    {
        var cut = RenderWithProviders<AuditPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, Actions(cut).Count), Timeout);
        return cut;
    }

    // The stored action, which the chip carries as its title; the chip's text is the action's name in the UI language.
    private static List<string> Actions(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll("tbody tr .mud-chip[title]").Select(chip => chip.GetAttribute("title")!)];

    private static List<string> Column(IRenderedComponent<MudProviders> cut, string label) =>
        [.. cut.FindAll($"tbody tr td[data-label='{label}']").Select(td => td.TextContent.Trim())];
}
