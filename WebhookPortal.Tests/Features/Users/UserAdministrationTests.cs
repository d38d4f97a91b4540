using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary><see cref="UserAdministration"/> and session validation against the real app and database.</summary>
public sealed class UserAdministrationTests : IAsyncLifetime
{
    // A host of its own: these tests change who the administrators are.
    private readonly PortalFactory factory = PortalFactory.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private UserAdministration Users => factory.Services.GetRequiredService<UserAdministration>();

    [Fact]
    public async Task Refuses_to_delete_or_disable_the_last_enabled_administrator()
    {
        var admin = await FindAsync(PortalFactory.AdminUserName);

        var deleted = await Users.DeleteAsync(admin.Id);
        var disabled = await Users.SetEnabledAsync(admin.Id, false);
        var edited = await Users.UpdateAsync(admin.Id, new UserModel { UserName = "root", Email = admin.Email!, Enabled = false });

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

        var result = await Users.DeleteAsync(second.Id);

        Assert.True(result.Succeeded);
        await using var check = factory.Services.CreateAsyncScope();
        Assert.Null(await check.ServiceProvider.GetRequiredService<PortalUserManager>().FindByIdAsync(second.Id));
    }

    [Fact]
    public async Task Refuses_an_edit_made_on_a_stale_copy_of_the_user()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("stale")));
        var loaded = UserModel.From(await FindAsync(user.UserName!));
        Assert.True((await Users.ResetPasswordAsync(user.Id, "Other-Passw0rd!")).Succeeded);

        loaded.FirstName = "Changed";
        var result = await Users.UpdateAsync(user.Id, loaded);

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

        Assert.True((await Users.SetEnabledAsync(user.Id, false)).Succeeded);

        await using var after = factory.Services.CreateAsyncScope();
        Assert.Null(await after.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>().ValidateSecurityStampAsync(principal));
    }

    private async Task<PortalUser> FindAsync(string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<PortalUserManager>().FindByNameAsync(userName))!;
    }
}
