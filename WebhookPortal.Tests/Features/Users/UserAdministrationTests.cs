using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary><see cref="UserAdministration"/> and session validation against the real app and database.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UserAdministrationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    // A host for this class alone: its tests change who the administrators are, and each leaves the seeded administrator
    // the only enabled one, as the next test expects.
    private static readonly AuditActor Admin = new("admin-id", "admin", "203.0.113.9");

    private UserAdministration Users => factory.Services.GetRequiredService<UserAdministration>();

    [Fact]
    public async Task Refuses_to_delete_or_disable_the_last_enabled_administrator()
    {
        var admin = await FindAsync(PortalFactory.AdminUserName);

        var deleted = await Users.DeleteAsync(admin.Id, Admin);
        var disabled = await Users.SetEnabledAsync(admin.Id, false, Admin);
        var edited = await Users.UpdateAsync(admin.Id, new UserModel { UserName = "root", Email = admin.Email!, Enabled = false }, Admin);

        Assert.Equal("The last enabled administrator cannot be deleted.", Assert.Single(deleted.Errors).Description);
        Assert.Equal("The last enabled administrator cannot be disabled.", Assert.Single(disabled.Errors).Description);
        Assert.Equal("The last enabled administrator cannot be disabled.", Assert.Single(edited.Errors).Description);
        var stored = await FindAsync(PortalFactory.AdminUserName);
        Assert.True(stored.Enabled);
    }

    [Fact]
    public async Task Deletes_an_administrator_when_another_enabled_one_remains()
    {
        var second = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("admin2")));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await manager.AddToRoleAsync((await manager.FindByIdAsync(second.Id))!, AdminOptions.Role)).Succeeded);
        }

        var result = await Users.DeleteAsync(second.Id, Admin);

        Assert.True(result.Succeeded);
        await using var check = factory.Services.CreateAsyncScope();
        Assert.Null(await check.ServiceProvider.GetRequiredService<PortalUserManager>().FindByIdAsync(second.Id));
    }

    [Fact]
    public async Task Refuses_an_edit_made_on_a_stale_copy_of_the_user()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("stale")));
        var loaded = UserModel.From(await FindAsync(user.UserName!));
        Assert.True((await Users.ResetPasswordAsync(user.Id, "Other-Passw0rd!", Admin)).Succeeded);

        loaded.FirstName = "Changed";
        var result = await Users.UpdateAsync(user.Id, loaded, Admin);

        Assert.Equal("ConcurrencyFailure", Assert.Single(result.Errors).Code);
        Assert.NotEqual("Changed", (await FindAsync(user.UserName!)).FirstName);
    }

    [Fact]
    public async Task A_disabled_users_session_no_longer_validates()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("session")));
        ClaimsPrincipal principal;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var factoryOfPrincipals = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>();
            principal = await factoryOfPrincipals.CreateAsync((await manager.FindByIdAsync(user.Id))!);
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>().ValidateSecurityStampAsync(principal));
        }

        Assert.True((await Users.SetEnabledAsync(user.Id, false, Admin)).Succeeded);

        await using var after = factory.Services.CreateAsyncScope();
        Assert.Null(await after.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>().ValidateSecurityStampAsync(principal));
    }

    [Fact]
    public async Task Records_who_changed_a_user_from_where_and_what_changed()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("audited")));
        var model = UserModel.From(await FindAsync(user.UserName!));
        model.Phone = "+86 139 0000 0000";
        model.FirstName = "Changed";

        Assert.True((await Users.UpdateAsync(user.Id, model, Admin)).Succeeded);
        Assert.True((await Users.DeleteAsync(user.Id, Admin)).Succeeded);

        await using var db = await factory.CreateDbContextAsync();
        var entries = db.AuditEntries.Where(a => a.Subject == "user " + user.UserName).OrderBy(a => a.Id).ToList();
        Assert.Equal(["user.created", "user.updated", "user.deleted"], entries.Select(a => a.Action));
        // Created by the test helper directly through the user manager, outside any request: the system.
        Assert.Equal("system", entries[0].ActorName);
        Assert.All(entries.Skip(1), a => Assert.Equal(("admin-id", "admin", "203.0.113.9"), (a.ActorId, a.ActorName, a.IpAddress)));
        Assert.Equal("Changed: First name, Phone", MessageText.English(entries[1].Details));
    }

    [Fact]
    public async Task A_refused_change_leaves_no_audit_entry()
    {
        var admin = await FindAsync(PortalFactory.AdminUserName);

        Assert.False((await Users.DeleteAsync(admin.Id, Admin)).Succeeded);

        await using var db = await factory.CreateDbContextAsync();
        Assert.DoesNotContain(db.AuditEntries, a => a.Action == "user.deleted" && a.Subject == "user " + admin.UserName);
    }

    [Fact]
    public async Task Search_finds_a_chinese_name_written_family_name_first()
    {
        var zhangWei = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("zw"), firstName: "伟", lastName: "张"));
        // The same characters the other way round: given name 张, family name 伟, written 伟张.
        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("wz"), firstName: "张", lastName: "伟"));

        var (items, total) = await Users.ListAsync("张伟", page: 0, pageSize: 10);

        Assert.Equal(1, total);
        Assert.Equal(zhangWei.Id, Assert.Single(items).Id);
        Assert.Equal(("伟", "张"), (items[0].FirstName, items[0].LastName));
    }

    [Fact]
    public async Task Refuses_an_administrator_disabling_or_deleting_their_own_account()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("self")));
        var self = new AuditActor(user.Id, user.UserName!, "203.0.113.9");
        var edit = UserModel.From(await FindAsync(user.UserName!));
        edit.Enabled = false;

        IdentityResult[] refused =
        [
            await Users.SetEnabledAsync(user.Id, false, self),
            await Users.UpdateAsync(user.Id, edit, self),
            await Users.DeleteAsync(user.Id, self),
        ];

        Assert.All(refused, r => Assert.Equal(UserAdministration.OwnAccountCode, Assert.Single(r.Errors).Code));
        Assert.Equal(["You cannot disable your own account.", "You cannot disable your own account.", "You cannot delete your own account."],
            refused.Select(r => r.Errors.Single().Description));
        Assert.True((await FindAsync(user.UserName!)).Enabled);
        // Keeping oneself enabled is no disabling; and another administrator may do what the user may not.
        edit.Enabled = true;
        edit.FirstName = "Self";
        Assert.True((await Users.UpdateAsync(user.Id, edit, self)).Succeeded);
        Assert.True((await Users.SetEnabledAsync(user.Id, true, self)).Succeeded);
        Assert.True((await Users.SetEnabledAsync(user.Id, false, Admin)).Succeeded);
        Assert.True((await Users.DeleteAsync(user.Id, Admin)).Succeeded);
    }

    private async Task<PortalUser> FindAsync(string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PortalUserManager>().FindByNameAsync(userName))!;
    }
}
