using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Components;

/// <summary>The Users page on a real SQLite file with the app's Identity and outbox; only the signed-in admin is faked.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UsersPageTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";
    private const string Table = ".mud-table";

    private readonly BunitAuthorizationContext admin;

    public UsersPageTests()
    {
        Services.AddSingleton<UserAdministration>();

        admin = AddAuthorization();
        admin.SetAuthorized("admin");
        admin.SetRoles(AdminOptions.Role);
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();

        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        for (var i = 1; i <= 12; i++)
        {
            // user07 is 张伟: given name 伟, family name 张, which Chinese writes family name first with no space.
            var user = new PortalUser
            {
                UserName = $"user{i:00}", Email = $"user{i:00}@example.com", FirstName = i == 7 ? "伟" : $"First{i:00}", LastName = i == 7 ? "张" : "Tester",
            };
            AssertSucceeded(await users.CreateAsync(user, "Str0ng!pass"));
        }

        // Added after the users above, so only what a test does produces deliveries.
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Clients.Add(new Client
        {
            ClientId = "hr-system",
            CreatedAt = DateTime.UtcNow,
            Webhooks =
            [
                new Webhook { Name = "New users", Actions = UserAction.Created, Url = "http://127.0.0.1:9/new-users", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow },
            ],
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Lists_the_first_page_of_users_and_the_total()
    {
        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal([.. Enumerable.Range(1, 10).Select(i => $"user{i:00}")], UserNames(cut)), Timeout);
        Assert.Contains("1-10 of 12", cut.Find(".mud-table-pagination").TextContent);
    }

    [Fact]
    public async Task Search_filters_by_user_name_email_and_full_name_in_either_order()
    {
        var cut = RenderPage();

        await cut.FillAsync(Table, "Search users", "user1");
        cut.WaitForAssertion(() => Assert.Equal(["user10", "user11", "user12"], UserNames(cut)), Timeout);

        await cut.FillAsync(Table, "Search users", "05@EXAMPLE");
        cut.WaitForAssertion(() => Assert.Equal(["user05"], UserNames(cut)), Timeout);

        await cut.FillAsync(Table, "Search users", "First03 Tester");
        cut.WaitForAssertion(() => Assert.Equal(["user03"], UserNames(cut)), Timeout);

        await cut.FillAsync(Table, "Search users", "Tester First04");
        cut.WaitForAssertion(() => Assert.Equal(["user04"], UserNames(cut)), Timeout);

        // Only the family-name-first clause without a space matches: "伟 张" and "张 伟" do not contain "张伟".
        await cut.FillAsync(Table, "Search users", "张伟");
        cut.WaitForAssertion(() => Assert.Equal(["user07"], UserNames(cut)), Timeout);

        await cut.FillAsync(Table, "Search users", "nobody");
        cut.WaitForAssertion(() => Assert.Contains("No user matches the search.", cut.Find(Table).TextContent), Timeout);
    }

    [Fact]
    public async Task Create_user_saves_the_user_confirms_it_and_queues_the_created_webhook()
    {
        var cut = RenderPage();
        // What Routes does when a circuit starts: the page's actor is the signed-in user, from the request's address.
        Services.GetRequiredService<WebhookPortal.Features.Audit.CurrentActor>().UseCircuit("203.0.113.5");

        var creating = await cut.ClickAsync(null, "Create User");
        cut.WaitForElement(Dialog, Timeout);
        await cut.FillAsync(Dialog, "User name", "zhangwei");
        await cut.FillAsync(Dialog, "Email", "zhangwei@example.com");
        await cut.FillAsync(Dialog, "First name", "伟");
        await cut.FillAsync(Dialog, "Last name", "张");
        await cut.FillAsync(Dialog, "Phone", "+86 138 0000 0000");
        await cut.FillAsync(Dialog, "Password", "Str0ng!pass");
        await cut.ClickAsync(Dialog, "OK");
        await creating.WaitAsync(Timeout);

        cut.WaitForAssertion(() => Assert.Contains("User zhangwei created", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Contains("1-10 of 13", cut.Find(".mud-table-pagination").TextContent), Timeout);
        await using var db = await NewDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.UserName == "zhangwei");
        Assert.Equal(("zhangwei@example.com", "伟", "张", "+86 138 0000 0000", true), (user.Email, user.FirstName, user.LastName, user.PhoneNumber, user.Enabled));
        var delivery = Assert.Single(await db.Deliveries.ToListAsync());
        Assert.Equal(("user.created", user.Id, "New users", DeliveryStatus.Pending), (delivery.EventType, delivery.UserId, delivery.WebhookName, delivery.Status));
        var audit = await db.AuditEntries.SingleAsync(a => a.Subject == "user zhangwei");
        Assert.Equal(("user.created", "admin", "203.0.113.5"), (audit.Action, audit.ActorName, audit.IpAddress));
    }

    [Fact]
    public async Task Delete_asks_for_confirmation_then_removes_the_user()
    {
        var cut = RenderPage();

        var deleting = await cut.ClickAsync(null, "Delete user user05");
        cut.WaitForAssertion(() => Assert.Contains("Delete user user05? This cannot be undone.", cut.Find(Dialog).TextContent), Timeout);
        Assert.True(await UserExistsAsync("user05"));
        await cut.ClickAsync(Dialog, "Delete");
        await deleting.WaitAsync(Timeout);

        Assert.False(await UserExistsAsync("user05"));
        cut.WaitForAssertion(() => Assert.Contains("User user05 deleted", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.DoesNotContain("user05", UserNames(cut)), Timeout);
    }

    [Fact]
    public async Task Canceling_the_delete_confirmation_keeps_the_user()
    {
        var cut = RenderPage();

        var deleting = await cut.ClickAsync(null, "Delete user user05");
        cut.WaitForElement(Dialog, Timeout);
        await cut.ClickAsync(Dialog, "Cancel");
        await deleting.WaitAsync(Timeout);

        Assert.True(await UserExistsAsync("user05"));
        Assert.Contains("user05", UserNames(cut));
    }

    [Fact]
    public async Task Disable_asks_first_then_turns_the_user_off_in_the_database()
    {
        var cut = RenderPage();

        var disabling = await cut.ClickAsync(null, "Disable user user03");
        cut.WaitForAssertion(() => Assert.Contains(
            "Disable user user03? They can no longer sign in, their open sessions end within a minute, and the webhooks for Update fire.",
            cut.Find(Dialog).TextContent), Timeout);
        Assert.True(await IsEnabledAsync("user03"));
        await cut.ClickAsync(Dialog, "Disable");
        await disabling.WaitAsync(Timeout);

        Assert.False(await IsEnabledAsync("user03"));
        cut.WaitForAssertion(() => Assert.Contains("User user03 disabled", Toasts(cut)), Timeout);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button[aria-label='Enable user user03']")), Timeout);
    }

    [Fact]
    public async Task Canceling_the_disable_confirmation_keeps_the_user_enabled()
    {
        var cut = RenderPage();

        var disabling = await cut.ClickAsync(null, "Disable user user03");
        cut.WaitForElement(Dialog, Timeout);
        await cut.ClickAsync(Dialog, "Cancel");
        await disabling.WaitAsync(Timeout);

        Assert.True(await IsEnabledAsync("user03"));
        Assert.Single(cut.FindAll("button[aria-label='Disable user user03']"));
    }

    [Fact]
    public async Task Enable_needs_no_confirmation()
    {
        await using (var db = await NewDbContextAsync())
        {
            (await db.Users.SingleAsync(u => u.UserName == "user04")).Enabled = false;
            await db.SaveChangesAsync();
        }

        var cut = RenderPage();
        var enabling = await cut.ClickAsync(null, "Enable user user04");
        await enabling.WaitAsync(Timeout);

        Assert.Empty(cut.FindAll(Dialog));
        Assert.True(await IsEnabledAsync("user04"));
        cut.WaitForAssertion(() => Assert.Contains("User user04 enabled", Toasts(cut)), Timeout);
    }

    [Fact]
    public async Task Refuses_at_once_to_disable_or_delete_the_signed_in_administrators_own_account()
    {
        await using (var db = await NewDbContextAsync())
        {
            admin.SetClaims(new Claim(ClaimTypes.NameIdentifier, (await db.Users.SingleAsync(u => u.UserName == "user03")).Id));
        }

        var cut = RenderPage();
        Services.GetRequiredService<WebhookPortal.Features.Audit.CurrentActor>().UseCircuit("203.0.113.5");

        await (await cut.ClickAsync(null, "Disable user user03")).WaitAsync(Timeout);
        cut.WaitForAssertion(() => Assert.Contains("You cannot disable your own account.", Toasts(cut)), Timeout);
        await (await cut.ClickAsync(null, "Delete user user03")).WaitAsync(Timeout);
        cut.WaitForAssertion(() => Assert.Contains("You cannot delete your own account.", Toasts(cut)), Timeout);

        // Refused before the confirmation, and nothing changed.
        Assert.Empty(cut.FindAll(Dialog));
        Assert.True(await IsEnabledAsync("user03"));
    }

    [Fact]
    public async Task A_user_changed_meanwhile_is_not_overwritten_the_input_stays_and_reload_shows_the_other_change()
    {
        var cut = RenderPage();
        var editing = await cut.ClickAsync(null, "Edit user user01");
        cut.WaitForElement(Dialog, Timeout);
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var other = (await users.FindByNameAsync("user01"))!;
            other.LastName = "Theirs";
            AssertSucceeded(await users.UpdateAsync(other));
        }

        await cut.FillAsync(Dialog, "First name", "Mine");
        await cut.ClickAsync(Dialog, "OK");

        cut.WaitForAssertion(() => Assert.Contains("Someone else changed this user since you opened it.", cut.Find(Dialog).TextContent), Timeout);
        Assert.Equal("Mine", cut.Find(Dialog).ByLabel("First name").GetAttribute("value"));
        await using (var db = await NewDbContextAsync())
        {
            Assert.Equal("First01", (await db.Users.SingleAsync(u => u.UserName == "user01")).FirstName);
        }

        await cut.ClickAsync(Dialog, "Reload");
        cut.WaitForAssertion(() => Assert.Equal("Theirs", cut.Find(Dialog).ByLabel("Last name").GetAttribute("value")), Timeout);
        Assert.Equal("First01", cut.Find(Dialog).ByLabel("First name").GetAttribute("value"));
        await cut.ClickAsync(Dialog, "Cancel");
        await editing.WaitAsync(Timeout);
    }

    /// <summary>Renders the page and waits for its first page of users, which it loads after the first render.</summary>
    private IRenderedComponent<MudProviders> RenderPage()
    {
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(10, UserNames(cut).Count), Timeout);
        return cut;
    }

    private static List<string> UserNames(IRenderedComponent<MudProviders> cut) =>
        [.. cut.FindAll("tbody tr td[data-label='User name']").Select(td => td.TextContent.Trim())];

    private async Task<bool> UserExistsAsync(string userName)
    {
        await using var db = await NewDbContextAsync();
        return await db.Users.AnyAsync(u => u.UserName == userName);
    }

    private async Task<bool> IsEnabledAsync(string userName)
    {
        await using var db = await NewDbContextAsync();
        return (await db.Users.SingleAsync(u => u.UserName == userName)).Enabled;
    }

    private static void AssertSucceeded(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
}
