using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// Every interactive portal page and every dialog, in both languages, at 1280 and 768 px, dark and light, on realistic data: each is
/// screenshot (<c>TestResults/screenshots/tour-&lt;look&gt;/</c>) and checked by <see cref="PageChecks"/>. A look's problems
/// are collected and reported together, so one run shows all of them.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class PageTourTests(Chromium chromium, PageTourPortal portal) : IClassFixture<PageTourPortal>
{
    // Four looks keep the tour near two minutes on a small machine: both languages at the narrowest desktop width (dark)
    // and at 768 px (light). 1440 px passed every check whenever 1280 px did; add it back here to see it.
    [Theory]
    [InlineData("en", 1280, true)]
    [InlineData("zh-CN", 1280, true)]
    [InlineData("en", 768, false)]
    [InlineData("zh-CN", 768, false)]
    public async Task Every_page_and_dialog_looks_finished(string culture, int width, bool dark)
    {
        var look = $"tour-{culture}-{width}{(dark ? "-dark" : "")}";
        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, look, culture, width, dark);
        var page = browser.Page;
        var problems = new List<string>();
        var logged = portal.Factory.Logs.Lines.Count;
        string T(string english, params object[] arguments) =>
            string.Format(CultureInfo.GetCultureInfo(culture), browser.Text(english), arguments);

        async Task CheckAsync(string name)
        {
            await browser.ShotAsync(name);
            try
            {
                await PageChecks.ExpectFinishedAsync(page, culture);
            }
            catch (XunitException e)
            {
                problems.Add($"[{name}] {e.Message}");
            }
        }

        async Task GoAsync(string path, string heading)
        {
            // Inside the circuit, as a link would: faster than loading the page afresh, and the drawer stays as it is.
            await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
            await browser.ExpectPageAsync(heading);
        }

        async Task<ILocator> OpenAsync(string button, string title, bool editor = false)
        {
            var dialog = await browser.OpenDialogAsync(button, title);
            if (editor)
            {
                // The body editor as people see it (Monaco replaces the plain box once loaded); closing the dialog while
                // Monaco is still being created ends the circuit (BlazorMonaco's OnAfterRenderAsync on a disposed editor).
                await Expect(dialog.Locator(".monaco-editor").First).ToBeVisibleAsync();
            }

            await page.WaitForTimeoutAsync(300); // the dialog's opening transition
            return dialog;
        }

        // A screenshot shows the dialog's first screen; this shows the rest (preview, signing).
        async Task ScrollDownAsync(ILocator dialog) =>
            await dialog.Locator(".mud-dialog-content").EvaluateAsync("box => box.scrollTop = box.scrollHeight");

        async Task DialogAsync(string button, string title, string shot, string close, bool editor = false)
        {
            var dialog = await OpenAsync(button, title, editor);
            await CheckAsync(shot);
            await browser.Button(close, dialog).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
        }

        try
        {
            await browser.RunAsync(async () =>
            {
                await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
                await browser.ExpectPageAsync(T("Dashboard"));
                await Expect(page.Locator(".mud-chart").First).ToBeVisibleAsync();
                await CheckAsync("dashboard");

                await GoAsync("clients", T("Docking Portal"));
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = PageTourPortal.ClientId, Exact = true })).ToBeVisibleAsync();
                await CheckAsync("clients");
                await DialogAsync(T("Create Client"), T("Create Client"), "create-client", T("Cancel"));
                await DialogAsync(T("Delete client {0}", PageTourPortal.EmptyClientId), T("Delete client"), "delete-client", T("Cancel"));

                await GoAsync("clients/" + PageTourPortal.ClientId, PageTourPortal.ClientId);
                await Expect(page.GetByText(PageTourPortal.WeComWebhook).First).ToBeVisibleAsync();
                await CheckAsync("client");
                var create = await OpenAsync(T("Create Webhook"), T("Create Webhook"), editor: true);
                await CheckAsync("create-webhook");
                await ScrollDownAsync(create);
                await browser.ShotAsync("create-webhook-end");
                await browser.Button(T("Cancel"), create).ClickAsync();
                await Expect(create).ToBeHiddenAsync();
                var edit = await OpenAsync(T("Edit webhook {0}", PageTourPortal.WeComWebhook), T("Edit Webhook"), editor: true);
                await CheckAsync("edit-webhook");
                await browser.Button(T("Add header"), edit).ClickAsync();
                await CheckAsync("edit-webhook-new-header");
                await ScrollDownAsync(edit);
                await browser.ShotAsync("edit-webhook-end");
                // The added header changed the form: Cancel asks before discarding it.
                await browser.Button(T("Cancel"), edit).ClickAsync();
                var discard = browser.Dialog(T("Discard changes?"));
                await Expect(discard).ToBeVisibleAsync();
                await CheckAsync("discard-changes");
                await browser.Button(T("Discard"), discard).ClickAsync();
                await Expect(edit).ToBeHiddenAsync();
                var test = await browser.OpenDialogAsync(T("Send test webhook {0}", PageTourPortal.InboxWebhook), T("Send test: {0}", PageTourPortal.InboxWebhook));
                await CheckAsync("send-test");
                await browser.Button(T("Send"), test).ClickAsync();
                await Expect(test.GetByTestId("test-result")).ToBeVisibleAsync();
                await CheckAsync("send-test-result");
                await browser.Button(T("Close"), test).ClickAsync();
                await Expect(test).ToBeHiddenAsync();
                await DialogAsync(T("Delete webhook {0}", PageTourPortal.InboxWebhook), T("Delete webhook"), "delete-webhook", T("Cancel"));
                await DialogAsync(T("Redeliver failed deliveries of webhook {0}", PageTourPortal.WeComWebhook), T("Redeliver failed since…"), "recover-webhook", T("Cancel"));

                await GoAsync("deliveries", T("Deliveries"));
                await Expect(page.GetByText(PageTourPortal.WeComError).First).ToBeVisibleAsync();
                await CheckAsync("deliveries");
                await GoAsync("deliveries/" + portal.FailedDelivery.Id, $"{portal.FailedDelivery.EventType} → {portal.FailedDelivery.WebhookName}");
                await CheckAsync("delivery-failed");
                await GoAsync("deliveries/" + portal.PendingDelivery.Id, $"{portal.PendingDelivery.EventType} → {portal.PendingDelivery.WebhookName}");
                await CheckAsync("delivery-pending");

                await GoAsync("users", T("Users"));
                // By text, not by name: below 960 px rows are cards whose cells are named with their labels too.
                await Expect(page.GetByRole(AriaRole.Cell).Filter(new() { HasText = PageTourPortal.LongUserName }).First).ToBeVisibleAsync();
                await CheckAsync("users");
                await DialogAsync(T("Create User"), T("Create User"), "create-user", T("Cancel"));
                await DialogAsync(T("Edit user {0}", "zhangwei"), T("Edit User"), "edit-user", T("Cancel"));
                await DialogAsync(T("Disable user {0}", "zhangwei"), T("Disable user"), "disable-user", T("Cancel"));
                await DialogAsync(T("Reset password of {0}", "zhangwei"), T("Reset password of {0}", "zhangwei"), "reset-password", T("Cancel"));
                await DialogAsync(T("Delete user {0}", "zhangwei"), T("Delete user"), "delete-user", T("Cancel"));

                await GoAsync("inbox", T("Inbox"));
                await Expect(page.GetByTestId("inbox-message").First).ToBeVisibleAsync();
                await CheckAsync("inbox");
                await DialogAsync(T("Clear"), T("Clear inbox"), "clear-inbox", T("Cancel"));

                await GoAsync("audit", T("Audit log"));
                await Expect(page.GetByRole(AriaRole.Cell).Filter(new() { HasText = PageTourPortal.ClientId }).First).ToBeVisibleAsync();
                await CheckAsync("audit");

                await GoAsync("api-tokens", T("API tokens"));
                await Expect(page.GetByRole(AriaRole.Cell).Filter(new() { HasText = PageTourPortal.TokenName })).ToBeVisibleAsync();
                await CheckAsync("api-tokens");
                await DialogAsync(T("Create API token"), T("Create API token"), "create-api-token", T("Cancel"));
                await DialogAsync(T("Revoke API token {0}", PageTourPortal.TokenName), T("Revoke API token"), "revoke-api-token", T("Cancel"));
            });
        }
        catch (Exception e)
        {
            // A step that could not go on (or a script that threw) joins the list instead of hiding it.
            problems.Add(e.Message);
        }

        // What the portal itself logged as an error meanwhile (a circuit that crashed, a failed render) says why a step broke.
        problems.AddRange(portal.Factory.Logs.Lines.Skip(logged)
            .Where(line => line.Contains(" Error: ", StringComparison.Ordinal) || line.Contains(" Critical: ", StringComparison.Ordinal))
            .Select(line => "[portal log] " + line));
        Assert.True(problems.Count == 0, $"{look}: {problems.Count} problem(s); screenshots in {Path.Combine(BrowserSession.ScreenshotRoot, look)}"
            + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }
}

/// <summary>
/// The portal for <see cref="PageTourTests"/>, filled once through its own services with data of every kind a page shows:
/// a client with webhooks (one a WeCom robot with a long name, headers and a failing robot), one without, users (one with
/// the longest names, one disabled, one updated, one deleted). Free text is as long as the portal allows and, where it can
/// be, one unbroken word (Client ID, description, webhook name, URL, user name, email, token name), so every page proves
/// that such text wraps or is cut inside its cell instead of widening the page, deliveries in every status, Inbox messages, audit entries and
/// API tokens. Retries wait an hour, so a delivery answered 500 stays Pending.
/// </summary>
public sealed class PageTourPortal : IAsyncLifetime
{
    // The longest Client ID there can be, with no place a line may break (underscores are none): the client page's
    // heading and breadcrumb, the Deliveries list and the audit log must hold it.
    public const string ClientId = "ops_alerts_for_account_changes_wecom_robot_production_cluster_01";
    public const string EmptyClientId = "crm.directory-sync.staging-environment";
    public const string InboxWebhook = "Inbox demo";
    public const string WeComWebhook = "企业微信运维告警群 — new, deleted and signed-in accounts";
    public const string WeComError = "invalid webhook url, hint: tour";
    /// <summary>The longest user name there can be (64 characters), without a place to break a line.</summary>
    public const string LongUserName = "wang.xiaoming.operations_team.account_administrator.shanghai_001";

    /// <summary>A long email address of one unbroken word on each side of the @.</summary>
    public const string LongEmail = LongUserName + "@operations_and_infrastructure_team_account_administration_department.example.com";

    /// <summary>The longest webhook name there can be (100 characters) as one word.</summary>
    public static readonly string LongWebhookName = "CRM_directory_sync_" + new string('x', Webhook.NameMaxLength - "CRM_directory_sync_".Length - 4) + "_end";

    /// <summary>The longest client description there can be (500 characters) as one word.</summary>
    public static readonly string LongDescription = "Directory_sync_" + new string('d', Client.DescriptionMaxLength - "Directory_sync_".Length);

    /// <summary>The longest name there can be: 100 Chinese characters, which the page may break anywhere.</summary>
    public static readonly string LongChineseName = string.Concat(Enumerable.Repeat("欧阳诸葛司马上官慕容", UserModel.NameMaxLength / 10));

    /// <summary>The longest API token name there can be (100 characters) as one word.</summary>
    public static readonly string LongTokenName = "Nightly_import_" + new string('t', ApiToken.NameMaxLength - "Nightly_import_".Length);
    public const string TokenName = "Nightly user sync script";

    private LoopbackReceiver? robot;
    private LoopbackReceiver? broken;

    /// <summary>The seeded portal.</summary>
    public PortalFactory Factory { get; } = PortalFactory.CreateOnKestrel(new Dictionary<string, string?>
    {
        ["Webhooks:Delivery:RetrySchedule:0"] = "01:00:00",
        ["Webhooks:Delivery:RetrySchedule:1"] = "01:00:00",
    });

    /// <summary>A delivery the WeCom robot refused (errcode 93000).</summary>
    public Delivery FailedDelivery { get; private set; } = null!;

    /// <summary>A delivery answered 500, waiting for its retry.</summary>
    public Delivery PendingDelivery { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var baseAddress = Factory.ServerAddress;
        robot = await LoopbackReceiver.StartAsync();
        robot.RespondWith(200, $$"""{"errcode":93000,"errmsg":"{{WeComError}}"}""");
        broken = await LoopbackReceiver.StartAsync();
        broken.RespondWith(500, "upstream unavailable");

        var services = Factory.Services;
        string adminId;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            adminId = await db.Users.Where(u => u.UserName == PortalFactory.AdminUserName).Select(u => u.Id).SingleAsync();
        }

        var actor = new AuditActor(adminId, PortalFactory.AdminUserName, "127.0.0.1");
        var clients = services.GetRequiredService<ClientAdministration>();
        await clients.CreateAsync(new ClientModel { ClientId = ClientId, Description = LongDescription }, actor);
        await clients.CreateAsync(new ClientModel { ClientId = EmptyClientId, Description = "运维告警：账号变更通知到企业微信群 (ops alerts for account changes)" }, actor);
        int clientKey;
        await using (var db = await Factory.CreateDbContextAsync())
        {
            clientKey = await db.Clients.Where(c => c.ClientId == ClientId).Select(c => c.Id).SingleAsync();
        }

        var webhooks = services.GetRequiredService<WebhookAdministration>();
        await SaveAsync(webhooks.CreateAsync(clientKey, new WebhookModel
        {
            Name = InboxWebhook,
            Actions = [UserAction.Created, UserAction.Updated, UserAction.Deleted],
            // The longest inbox name and a long query: the Inbox shows both.
            Url = new Uri(baseAddress, "inbox/" + new string('i', 100) + "?trace=" + new string('q', 600)).ToString(),
            NewSigningSecret = StandardWebhooks.GenerateSecret(),
        }, actor));
        await SaveAsync(webhooks.CreateAsync(clientKey, new WebhookModel
        {
            Name = WeComWebhook,
            Actions = [UserAction.Created, UserAction.Deleted, UserAction.LoggedIn],
            Url = robot.Url("/cgi-bin/webhook/send?key=tour-robot-key-0123456789"),
            Target = WebhookTarget.WeCom,
            TargetChosen = true,
            Body = WebhookPresets.For(WebhookTarget.WeCom).Template,
            Headers = [new WebhookHeader("X-Team", "ops"), new WebhookHeader("Authorization", "Bearer tour-secret-header-value", Secret: true)],
        }, actor));
        var longest = await SaveAsync(webhooks.CreateAsync(clientKey, new WebhookModel
        {
            Name = LongWebhookName,
            Actions = [UserAction.Created],
            Url = broken.Url("/hooks/" + new string('u', 1900)),
        }, actor));
        var retired = await SaveAsync(webhooks.CreateAsync(clientKey, new WebhookModel
        {
            Name = "Retired hook",
            Actions = [UserAction.Created],
            Url = broken.Url("/hooks/retired"),
        }, actor));

        var users = services.GetRequiredService<UserAdministration>();
        await CreateUserAsync(users, actor, "zhangwei", "zhangwei@example.com", "伟", "张");
        await CreateUserAsync(users, actor, "lina", "lina@example.com", "Na", "Li");
        await CreateUserAsync(users, actor, LongUserName, LongEmail, LongChineseName, LongChineseName);
        await CreateUserAsync(users, actor, "leaver", "leaver@example.com", "Lee", "Ver", enabled: false);
        await using (var db = await Factory.CreateDbContextAsync())
        {
            var lina = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "lina");
            var model = UserModel.From(lina);
            model.Phone = "+86 138 0000 0000";
            Assert.True((await users.UpdateAsync(lina.Id, model, actor)).Succeeded);
            var leaver = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "leaver");
            Assert.True((await users.DeleteAsync(leaver.Id, actor)).Succeeded);
        }

        // Every delivery of the retired hook is cancelled once it is gone, after its first (failed) attempt.
        await Eventually.MatchesAsync(Factory.DeliveriesAsync, all => all.Any(d => d.WebhookId == retired.Id && d.AttemptCount > 0), "the retired hook's first attempt", timeout: TimeSpan.FromSeconds(60));
        await webhooks.DeleteAsync(retired.Id, actor);

        var tokens = services.GetRequiredService<ApiTokens>();
        await tokens.CreateAsync(adminId, new ApiTokenModel { Name = TokenName, ExpiresInDays = 90 }, actor);
        await tokens.CreateAsync(adminId, new ApiTokenModel { Name = LongTokenName, ExpiresInDays = 30 }, actor);
        var old = await tokens.CreateAsync(adminId, new ApiTokenModel { Name = "Old import job", ExpiresInDays = 0 }, actor);
        await tokens.RevokeAsync(adminId, old.Entity.Id, actor);

        var deliveries = await Eventually.MatchesAsync(
            Factory.DeliveriesAsync,
            all => all.Any(d => d.Status == DeliveryStatus.Failed) && all.Any(d => d.Status == DeliveryStatus.Pending && d.AttemptCount > 0 && d.WebhookId == longest.Id)
                && all.Count(d => d.Status == DeliveryStatus.Succeeded) >= 4 && all.Any(d => d.Status == DeliveryStatus.Cancelled),
            "deliveries in every status",
            // Sending, retrying and failing run in the portal's dispatcher; on a loaded 2-core CI machine 15 s was not always enough.
            timeout: TimeSpan.FromSeconds(60));
        FailedDelivery = deliveries.First(d => d.Status == DeliveryStatus.Failed);
        PendingDelivery = deliveries.First(d => d.Status == DeliveryStatus.Pending && d.AttemptCount > 0 && d.WebhookId == longest.Id);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (robot is not null)
        {
            await robot.DisposeAsync();
        }

        if (broken is not null)
        {
            await broken.DisposeAsync();
        }
    }

    private static async Task<Webhook> SaveAsync(Task<WebhookSave> save)
    {
        var saved = await save;
        Assert.True(saved.Succeeded, "The webhook was not saved: " + saved.Error);
        return saved.Webhook!;
    }

    private static async Task CreateUserAsync(UserAdministration users, AuditActor actor, string userName, string email, string firstName, string lastName, bool enabled = true)
    {
        var result = await users.CreateAsync(new UserModel
        {
            UserName = userName, Email = email, FirstName = firstName, LastName = lastName, Password = "Tour-Passw0rd!", Enabled = enabled,
        }, actor);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
