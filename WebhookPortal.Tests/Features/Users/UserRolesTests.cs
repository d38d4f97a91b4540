using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>
/// <see cref="UserAdministration.SetRoleAsync"/> against the real app and database: the last enabled administrator keeps
/// the role (as they cannot be deleted or disabled), checked in the same write transaction, with nothing written.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UserRolesTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    // Not the seeded administrator: an actor acting on someone else, so only the last-administrator rule can refuse.
    private static readonly AuditActor Operator = new("operator-id", "operator", "203.0.113.9");

    private UserAdministration Users => factory.Services.GetRequiredService<UserAdministration>();

    [Fact]
    public async Task The_last_enabled_administrator_keeps_the_role_until_another_enabled_one_exists()
    {
        var adminId = await IdOfAsync(PortalFactory.AdminUserName);
        var roleEntries = await RoleEntriesAsync(PortalFactory.AdminUserName);

        foreach (var role in new[] { PortalRole.Auditor, PortalRole.None })
        {
            var refused = await Users.SetRoleAsync(adminId, role, Operator);
            Assert.Equal("The last enabled administrator cannot be removed from the administrator role.", Assert.Single(refused.Errors).Description);
        }

        // A second administrator who is disabled does not count.
        var second = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("second")));
        Assert.True((await Users.SetRoleAsync(second.Id, PortalRole.Administrator, Operator)).Succeeded);
        Assert.True((await Users.SetEnabledAsync(second.Id, false, Operator)).Succeeded);
        Assert.False((await Users.SetRoleAsync(adminId, PortalRole.Auditor, Operator)).Succeeded);
        Assert.Equal(PortalRole.Administrator, (await Users.FindAsync(adminId))!.Role);
        Assert.Equal(roleEntries, await RoleEntriesAsync(PortalFactory.AdminUserName));

        // Enabled, the second one lets the first go; then the second is the last and keeps it.
        Assert.True((await Users.SetEnabledAsync(second.Id, true, Operator)).Succeeded);
        Assert.True((await Users.SetRoleAsync(adminId, PortalRole.Auditor, Operator)).Succeeded);
        Assert.False((await Users.SetRoleAsync(second.Id, PortalRole.None, Operator)).Succeeded);

        // Leave the seeded administrator the only one, as the host started.
        Assert.True((await Users.SetRoleAsync(adminId, PortalRole.Administrator, Operator)).Succeeded);
        Assert.True((await Users.DeleteAsync(second.Id, Operator)).Succeeded);
    }

    [Fact]
    public async Task A_disabled_administrator_may_lose_the_role()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("idle")));
        Assert.True((await Users.SetRoleAsync(user.Id, PortalRole.Administrator, Operator)).Succeeded);
        Assert.True((await Users.SetEnabledAsync(user.Id, false, Operator)).Succeeded);

        Assert.True((await Users.SetRoleAsync(user.Id, PortalRole.None, Operator)).Succeeded);
        Assert.Equal(PortalRole.None, (await Users.FindAsync(user.Id))!.Role);
    }

    [Fact]
    public async Task A_user_given_both_roles_by_hand_ends_with_exactly_the_one_chosen()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("both")));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await manager.AddToRolesAsync((await manager.FindByIdAsync(user.Id))!, PortalRoles.All)).Succeeded);
        }

        Assert.True((await Users.SetRoleAsync(user.Id, PortalRole.Auditor, Operator)).Succeeded);

        await using var check = factory.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<PortalUserManager>();
        Assert.Equal([PortalRoles.Auditor], await users.GetRolesAsync((await users.FindByIdAsync(user.Id))!));
    }

    private async Task<string> IdOfAsync(string userName) => (await Users.FindByNameAsync(userName))!.Id;

    private async Task<int> RoleEntriesAsync(string userName)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.AuditEntries.CountAsync(e => e.Subject == "user " + userName && (e.Action.Contains("administrator") || e.Action.Contains("auditor")));
    }
}
