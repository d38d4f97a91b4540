using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Components.Layout;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// Operating webhooks on a client's page: Send test (real HTTP to a loopback receiver), Re-enable after the system disabled
/// one, and the layout's notice about such webhooks.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ClientPageOperationsTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";
    private const string Gone = "Disabled on 2026-11-29 10:00 UTC: the receiver answered 410 Gone.";
    private LoopbackReceiver receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        receiver = await LoopbackReceiver.StartAsync();
        receiver.RespondWith(200, """{"errcode":0,"errmsg":"ok"}""");
        await using var db = await NewDbContextAsync();
        var now = DateTime.UtcNow;
        db.Clients.AddRange(
            new Client
            {
                ClientId = "demo-client",
                CreatedAt = now,
                Webhooks =
                [
                    new Webhook { Name = "To inbox", Actions = UserAction.LoggedIn, Url = receiver.Url("/inbox"), CreatedAt = now, UpdatedAt = now, Enabled = false },
                    NewWebhook("Dead end", now),
                    new Webhook { Name = "Gone away", Actions = UserAction.Created, Url = receiver.Url("/gone"), CreatedAt = now, UpdatedAt = now, Enabled = false, DisabledReason = Gone },
                ],
            },
            new Client
            {
                ClientId = "hr-system",
                CreatedAt = now,
                Webhooks =
                [
                    new Webhook { Name = "HR failing", Actions = UserAction.Created, Url = receiver.Url("/hr"), CreatedAt = now, UpdatedAt = now, Enabled = false, DisabledReason = "Disabled on 2026-11-29 10:00 UTC: 10 attempts failed." },
                    new Webhook { Name = "HR paused", Actions = UserAction.Created, Url = receiver.Url("/paused"), CreatedAt = now, UpdatedAt = now, Enabled = false },
                ],
            });
        await db.SaveChangesAsync();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await receiver.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    [Fact]
    public async Task Send_test_on_a_disabled_webhook_shows_the_answer_inline_with_a_toast_and_records_a_test_delivery()
    {
        var cut = RenderClientPage();

        var testing = await cut.ClickAsync(null, "Send test webhook To inbox");
        cut.WaitForElement(Dialog, Timeout);
        Assert.Contains("Sample User (test)", cut.Find(Dialog).TextContent);
        await cut.ClickAsync(Dialog, "Send");

        cut.WaitForAssertion(() => Assert.Matches(@"The receiver accepted the test \(HTTP 200, in [\d,]+ ms\)\.", cut.Find("[data-testid=test-result]").TextContent), Timeout);
        Assert.Contains("""{"errcode":0,"errmsg":"ok"}""", cut.Find($"{Dialog} pre").TextContent);
        cut.WaitForAssertion(() => Assert.Contains("Test sent to To inbox: HTTP 200", Toasts(cut)), Timeout);
        var request = Assert.Single(receiver.RequestsTo("/inbox"));
        Assert.Equal(DeliveryActions.TestEventType, request.Header("X-Webhook-Event"));
        await using (var db = await NewDbContextAsync())
        {
            var delivery = await db.Deliveries.SingleAsync();
            Assert.Equal((DeliveryActions.TestEventType, UserAction.LoggedIn, DeliveryStatus.Succeeded), (delivery.EventType, delivery.Action, delivery.Status));
            Assert.Contains($"deliveries/{delivery.Id}", cut.Find(Dialog).InnerHtml);
        }

        await cut.ClickAsync(Dialog, "Close");
        await testing.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Send_test_to_a_dead_receiver_shows_the_error_instead_of_failing()
    {
        var cut = RenderClientPage();

        await cut.ClickAsync(null, "Send test webhook Dead end");
        cut.WaitForElement(Dialog, Timeout);
        await cut.ClickAsync(Dialog, "Send");

        cut.WaitForAssertion(() => Assert.Contains("The test failed", cut.Find("[data-testid=test-result]").TextContent), Timeout);
        cut.WaitForAssertion(() => Assert.Contains("Test of Dead end failed", Toasts(cut)), Timeout);
        await using var db = await NewDbContextAsync();
        var delivery = await db.Deliveries.SingleAsync();
        Assert.Equal((DeliveryStatus.Failed, 1), (delivery.Status, delivery.AttemptCount));
    }

    [Fact]
    public async Task The_second_click_of_a_double_click_on_Send_does_not_send_again_a_later_click_does()
    {
        var cut = RenderClientPage();
        await cut.ClickAsync(null, "Send test webhook Dead end");
        cut.WaitForElement(Dialog, Timeout);
        await cut.ClickAsync(Dialog, "Send");
        cut.WaitForAssertion(() => Assert.Contains("The test failed", cut.Find("[data-testid=test-result]").TextContent), Timeout);

        // The dead receiver answered before the double click's second half arrived.
        await ClickSendAgainAsync(detail: 2);
        await ClickSendAgainAsync(detail: 1);

        await using var db = await NewDbContextAsync();
        Assert.Equal(2, await db.Deliveries.CountAsync());

        async Task ClickSendAgainAsync(long detail)
        {
            var sent = Task.CompletedTask;
            await cut.InvokeAsync(() => { sent = cut.FindAll($"{Dialog} button").Single(b => b.TextContent.Trim() == "Send again").ClickAsync(new MouseEventArgs { Detail = detail }); });
            await sent.WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task A_webhook_the_system_disabled_shows_why_and_re_enable_turns_it_back_on()
    {
        var cut = RenderClientPage();
        Assert.Contains(Gone, cut.Markup);

        await (await cut.ClickAsync(null, "Re-enable webhook Gone away")).WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("Webhook Gone away enabled", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.DoesNotContain(Gone, cut.Markup), Timeout);
        Assert.Empty(cut.FindAll("button[aria-label='Re-enable webhook Gone away']"));
        await using var db = await NewDbContextAsync();
        var webhook = await db.Webhooks.SingleAsync(w => w.Name == "Gone away");
        Assert.Equal((true, (string?)null), (webhook.Enabled, webhook.DisabledReason));
    }

    [Fact]
    public async Task A_disable_reason_stored_as_a_code_reads_in_Chinese()
    {
        await using (var db = await NewDbContextAsync())
        {
            // As AutoDisable stores a 410 Gone.
            var coded = new CodedMessage(MessageCodes.DisabledOn, "2026-11-29 10:00", new CodedMessage(MessageCodes.Gone)).Serialize();
            await db.Webhooks.Where(w => w.Name == "Gone away").ExecuteUpdateAsync(s => s.SetProperty(w => w.DisabledReason, coded));
        }

        InCulture("zh-CN", () =>
        {
            var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));

            cut.WaitForAssertion(() => Assert.Contains("已于 2026-11-29 10:00 UTC 停用：接收方应答 410 Gone。", cut.Markup), Timeout);
            Assert.DoesNotContain("autodisable", cut.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_layout_notice_counts_webhooks_the_system_disabled_links_their_clients_and_follows_re_enabling()
    {
        var notice = Render<AutoDisabledNotice>();

        notice.WaitForAssertion(() => Assert.Equal("2 webhooks were disabled automatically (see the reason and Re-enable on the client's page): demo-client, hr-system", NoticeText(notice)), Timeout);
        Assert.Equal(["clients/demo-client", "clients/hr-system"], notice.FindAll("a").Select(a => a.GetAttribute("href")));

        var page = RenderClientPage();
        await (await page.ClickAsync(null, "Re-enable webhook Gone away")).WaitAsync(Timeout);

        notice.WaitForAssertion(() => Assert.Equal("1 webhook was disabled automatically (see the reason and Re-enable on the client's page): hr-system", NoticeText(notice)), Timeout);
        Assert.Equal(["clients/hr-system"], notice.FindAll("a").Select(a => a.GetAttribute("href")));
        await using (var db = await NewDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Name == "HR failing").ExecuteUpdateAsync(s => s.SetProperty(w => w.DisabledReason, (string?)null));
        }

        Services.GetRequiredService<DeliveryFeed>().Publish();
        notice.WaitForAssertion(() => Assert.Empty(notice.FindAll("[data-testid=auto-disabled-notice]")), Timeout);
    }

    [Fact]
    public async Task The_layout_notice_reads_as_Chinese_sentences_with_Chinese_punctuation()
    {
        await DisableDeadEndAutomaticallyAsync();

        InCulture("zh-CN", () =>
        {
            var notice = Render<AutoDisabledNotice>();

            notice.WaitForAssertion(() => Assert.Equal(
                "3 个 Webhook 已被自动停用（原因和“重新启用”按钮见客户端详情页）：demo-client（2）、hr-system",
                NoticeText(notice)), Timeout);
        });
    }

    [Fact]
    public async Task A_change_published_from_a_thread_in_another_language_re_renders_the_notice_in_the_readers_language()
    {
        var notice = InCulture("zh-CN", () => Render<AutoDisabledNotice>());
        notice.WaitForAssertion(() => Assert.Contains("2 个 Webhook 已被自动停用", notice.Markup), Timeout);
        await DisableDeadEndAutomaticallyAsync();

        // As the dispatcher publishes: from a background thread whose culture is English.
        await Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            Services.GetRequiredService<DeliveryFeed>().Publish();
        });

        notice.WaitForAssertion(() => Assert.Contains("3 个 Webhook 已被自动停用", notice.Markup), Timeout);
        Assert.DoesNotContain("disabled automatically", notice.Markup, StringComparison.Ordinal);
    }

    private static string NoticeText(IRenderedComponent<AutoDisabledNotice> notice) =>
        notice.Find("[data-testid=auto-disabled-notice] .mud-alert-message").TextContent.Trim();

    private async Task DisableDeadEndAutomaticallyAsync()
    {
        await using var db = await NewDbContextAsync();
        await db.Webhooks.Where(w => w.Name == "Dead end").ExecuteUpdateAsync(s => s
            .SetProperty(w => w.Enabled, false)
            .SetProperty(w => w.DisabledReason, "Disabled on 2026-11-29 10:00 UTC: 10 attempts failed."));
    }

    private IRenderedComponent<MudProviders> RenderClientPage()
    {
        var cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tbody tr td[data-label='Name']").Count), Timeout);
        return cut;
    }
}
