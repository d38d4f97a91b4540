using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Dashboard;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Inbox;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// The pages an auditor may read (real SQLite), rendered for an auditor and for an administrator: the auditor sees the
/// same data with no button that would change anything; the administrator sees those buttons, so the check is not empty.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AuditorViewTests : PortalDatabaseContext
{
    // Buttons and links whose name starts with one of these change something (or open a page only administrators may).
    private static readonly string[] Changing =
    [
        "Create", "Edit", "Delete", "Duplicate", "Send test", "Redeliver", "Retry now", "Cancel this delivery", "Cancel all paused",
        "Rotate secret", "Re-enable", "Test sign-in",
    ];

    public AuditorViewTests()
    {
        Services.AddSingleton<InboxFeed>();
        Services.AddOptions<InboxOptions>().Configure(o => o.Enabled = true);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = await NewDbContextAsync();
        var now = DateTime.UtcNow;
        var autoDisabled = NewWebhook("Auto disabled", now);
        autoDisabled.Enabled = false;
        autoDisabled.DisabledReason = "Failed 20 times in a row";
        var paused = NewWebhook("Paused hook", now);
        paused.Enabled = false;
        db.Clients.Add(new Client { ClientId = "demo-client", CreatedAt = now, Webhooks = [NewWebhook("New users", now), autoDisabled, paused] });
        db.InboxMessages.Add(new InboxMessage { Name = "demo", ReceivedAt = now, Method = "POST", Body = "{}" });
        await db.SaveChangesAsync();
    }

    public static TheoryData<string> Pages => ["clients", "client", "paused delivery", "failed delivery", "inbox", "dashboard"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task An_auditor_sees_no_button_that_changes_anything(string page)
    {
        Authorization.SetRoles(PortalRoles.Auditor);

        var cut = await RenderAsync(page);

        Assert.Empty(ChangingControls(cut));
        Assert.DoesNotContain("Clear", Controls(cut));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task An_administrator_sees_the_buttons_an_auditor_does_not(string page)
    {
        var cut = await RenderAsync(page);

        if (page == "dashboard")
        {
            // Nothing on the Dashboard changes anything; the Users count links to a page auditors cannot open.
            Assert.NotEmpty(cut.FindAll("a[href='users']"));
            return;
        }

        Assert.True(page == "inbox" ? Controls(cut).Contains("Clear") : ChangingControls(cut).Count > 0, string.Join(", ", Controls(cut)));
    }

    [Fact]
    public async Task An_auditor_sees_a_webhooks_state_on_a_switch_that_does_not_move()
    {
        Authorization.SetRoles(PortalRoles.Auditor);
        var cut = await RenderAsync("client");

        var toggle = cut.Find("input[aria-label='Enabled: New users']");
        Assert.Equal("true", toggle.GetAttribute("aria-readonly"));
        Assert.Contains("Failed 20 times in a row", cut.Markup);
    }

    [Fact]
    public async Task The_dashboard_shows_an_auditor_the_user_count_without_a_link_to_the_Users_page()
    {
        Authorization.SetRoles(PortalRoles.Auditor);

        var cut = await RenderAsync("dashboard");

        Assert.Empty(cut.FindAll("a[href='users']"));
        Assert.DoesNotContain("Get started", cut.Markup, StringComparison.Ordinal);
    }

    private async Task<IRenderedComponent<MudProviders>> RenderAsync(string page)
    {
        IRenderedComponent<MudProviders> cut;
        switch (page)
        {
            case "clients":
                cut = RenderWithProviders<ClientsPage>();
                cut.WaitForAssertion(() => Assert.Contains("demo-client", cut.Find("tbody").TextContent), Timeout);
                break;
            case "client":
                cut = Render<MudProviders>(p => p.AddChildContent<ClientPage>(c => c.Add(x => x.ClientId, "demo-client")));
                cut.WaitForAssertion(() => Assert.Contains("New users", cut.Find("tbody").TextContent), Timeout);
                break;
            case "paused delivery":
            case "failed delivery":
                var id = page == "paused delivery"
                    ? await AddDeliveryAsync("Paused hook", DeliveryStatus.Pending)
                    : await AddDeliveryAsync("New users", DeliveryStatus.Failed);
                cut = Render<MudProviders>(p => p.AddChildContent<DeliveryPage>(c => c.Add(x => x.Id, id)));
                cut.WaitForAssertion(() => cut.Find(".page-heading .mud-chip"), Timeout);
                break;
            case "inbox":
                cut = RenderWithProviders<InboxPage>();
                cut.WaitForAssertion(() => Assert.Contains("demo", cut.Markup), Timeout);
                break;
            default:
                cut = RenderWithProviders<DashboardPage>();
                cut.WaitForAssertion(() => cut.Find("h1"), Timeout);
                break;
        }

        return cut;
    }

    private static List<string> Controls(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll("button, a").Select(e => (e.GetAttribute("aria-label") ?? e.TextContent).Trim()).Where(name => name.Length > 0)];

    private static List<string> ChangingControls(IRenderedComponent<MudProviders> cut) =>
        [.. Controls(cut).Where(name => Changing.Any(verb => name == verb || name.StartsWith(verb + " ", StringComparison.Ordinal)))];
}
