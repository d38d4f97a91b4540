using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// Roles on the Users page (real SQLite and Identity): the role dialog grants and takes Administrator and Auditor with
/// audit entries, and what the signed-in administrator may not do to their own account is disabled with the reason.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UsersPageRolesTests : PortalDatabaseContext
{
    private const string Dialog = ".mud-dialog";

    public UsersPageRolesTests() => Services.AddSingleton<UserAdministration>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in PortalRoles.All)
        {
            Assert.True((await roles.CreateAsync(new IdentityRole(role))).Succeeded);
        }

        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        foreach (var (name, role) in new[] { ("me", PortalRoles.Administrator), ("other-admin", PortalRoles.Administrator), ("auditor1", PortalRoles.Auditor), ("plain", null) })
        {
            var user = new PortalUser { UserName = name, Email = name + "@example.com" };
            Assert.True((await users.CreateAsync(user, "Str0ng!pass")).Succeeded);
            if (role is not null)
            {
                Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            }
        }

        // Signed in as "me", in a circuit, as Routes sets it up before any page renders.
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, (await users.FindByNameAsync("me"))!.Id));
        Services.GetRequiredService<CurrentActor>().UseCircuit("203.0.113.5");
    }

    [Fact]
    public void Own_account_disable_role_and_delete_are_disabled_with_the_reason()
    {
        var cut = RenderPage();

        foreach (var (button, reason) in new[]
        {
            ("Disable user me", "You cannot disable your own account."),
            ("Change role of me", "You cannot change your own role."),
            ("Delete user me", "You cannot delete your own account."),
        })
        {
            var element = Button(cut, button);
            Assert.True(element.HasAttribute("disabled"), button);
            Assert.Equal(reason, element.GetAttribute("aria-description"));
        }

        // Another administrator's are not.
        foreach (var button in new[] { "Disable user other-admin", "Change role of other-admin", "Delete user other-admin" })
        {
            Assert.False(Button(cut, button).HasAttribute("disabled"), button);
            Assert.Null(Button(cut, button).GetAttribute("aria-description"));
        }
    }

    [Fact]
    public async Task Editing_ones_own_account_shows_the_Enabled_switch_locked_with_the_reason()
    {
        var cut = RenderPage();

        var editing = await cut.ClickAsync(null, "Edit user me");
        cut.WaitForElement(Dialog, Timeout);
        var locked = cut.Find(Dialog).ByLabel("Enabled");
        Assert.True(locked.HasAttribute("disabled"));
        Assert.Equal("You cannot disable your own account.", cut.Find("[data-enabled-locked]").TextContent.Trim());
        await cut.ClickAsync(Dialog, "Cancel");
        await editing.WaitAsync(Timeout);

        editing = await cut.ClickAsync(null, "Edit user other-admin");
        cut.WaitForElement(Dialog, Timeout);
        Assert.False(cut.Find(Dialog).ByLabel("Enabled").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-enabled-locked]"));
        await cut.ClickAsync(Dialog, "Cancel");
        await editing.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Granting_Auditor_then_Administrator_and_taking_it_away_saves_each_role_with_its_audit_entries()
    {
        var cut = RenderPage();

        await ChangeRoleAsync(cut, "plain", "Auditor");
        cut.WaitForAssertion(() => Assert.Contains("plain is now an auditor", Toasts(cut)), Timeout);
        Assert.Equal(PortalRole.Auditor, await RoleOfAsync("plain"));

        await ChangeRoleAsync(cut, "plain", "Administrator");
        cut.WaitForAssertion(() => Assert.Contains("plain is now an administrator", Toasts(cut)), Timeout);
        Assert.Equal(PortalRole.Administrator, await RoleOfAsync("plain"));

        await ChangeRoleAsync(cut, "plain", "No role");
        cut.WaitForAssertion(() => Assert.Contains("plain no longer has a role", Toasts(cut)), Timeout);
        Assert.Equal(PortalRole.None, await RoleOfAsync("plain"));

        await using var db = await NewDbContextAsync();
        var entries = await db.AuditEntries.Where(e => e.Subject == "user plain" && e.Action != "user.created").OrderBy(e => e.Id).Select(e => new { e.Action, e.ActorName }).ToListAsync();
        Assert.Equal(["user.made_auditor", "user.auditor_revoked", "user.made_administrator", "user.administrator_revoked"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("admin", e.ActorName));
    }

    [Fact]
    public async Task The_role_dialog_starts_at_the_users_role_and_OK_waits_for_another()
    {
        var cut = RenderPage();

        var changing = await cut.ClickAsync(null, "Change role of auditor1");
        cut.WaitForElement(Dialog, Timeout);
        Assert.True(cut.Find(Dialog).QuerySelector("button[data-dialog-submit]")!.HasAttribute("disabled"));
        await cut.ClickAsync(Dialog, "Cancel");
        await changing.WaitAsync(Timeout);
        Assert.Equal(PortalRole.Auditor, await RoleOfAsync("auditor1"));
    }

    private static async Task ChangeRoleAsync(IRenderedComponent<MudProviders> cut, string userName, string role)
    {
        var changing = await cut.ClickAsync(null, "Change role of " + userName);
        cut.WaitForElement(Dialog, Timeout);
        await cut.InvokeAsync(async () =>
        {
            var radio = cut.FindAll(Dialog + " .mud-radio").Single(r => r.TextContent.Trim() == role).QuerySelector("input")!;
            if (radio.HasAttribute("blazor:onchange"))
            {
                await radio.ChangeAsync(new ChangeEventArgs { Value = true });
            }
            else
            {
                await radio.ClickAsync(new MouseEventArgs());
            }
        });
        cut.WaitForAssertion(() => Assert.False(cut.Find(Dialog).QuerySelector("button[data-dialog-submit]")!.HasAttribute("disabled")), Timeout);
        await cut.ClickAsync(Dialog, "OK");
        await changing.WaitAsync(Timeout);
    }

    private async Task<PortalRole> RoleOfAsync(string userName)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        return await users.GetPortalRoleAsync((await users.FindByNameAsync(userName))!);
    }

    private IRenderedComponent<MudProviders> RenderPage()
    {
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("tbody tr").Count), Timeout);
        return cut;
    }

    private static IElement Button(IRenderedComponent<MudProviders> cut, string name) =>
        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == name);
}
