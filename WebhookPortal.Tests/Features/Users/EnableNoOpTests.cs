using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>
/// Enabling an enabled user or disabling a disabled one, through the API or as the Users page does, changes nothing: the
/// user's sign-in session outlives the next security-stamp check (the portal's clock is a FakeTimeProvider moved past the
/// one-minute validation interval), and there is no Updated delivery and no audit entry.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class EnableNoOpTests : IAsyncLifetime
{
    private const string Password = "User-Passw0rd!";
    private static readonly AuditActor Admin = new("admin-id", "admin", "203.0.113.9");

    // The cookie's issue time and the stamp validator both read the portal's clock, so moving it runs the check.
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory factory;
    private ApiClient api = null!;

    public EnableNoOpTests() => factory = PortalFactory.Create(time: time);

    public async Task InitializeAsync()
    {
        api = await ApiClient.ForAsync(factory);
        await factory.AddWebhookAsync("http://127.0.0.1:9/updated", UserAction.Updated, clientId: "noop-client", name: "Updates");
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await factory.DisposeAsync();
    }

    private UserAdministration Users => factory.Services.GetRequiredService<UserAdministration>();

    [Fact]
    public async Task Enabling_an_enabled_user_keeps_their_session_and_fires_nothing()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("enabled")), Password);
        var stamp = await StampAsync(user.Id);
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);
        Assert.True(await SignedInAsync(browser));

        (await api.PostAsync($"/api/v1/users/{user.Id}/enable")).Is(HttpStatusCode.OK);
        Assert.True((await Users.SetEnabledAsync(user.Id, true, Admin)).Succeeded);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await SignedInAsync(browser), "The session ended after enabling a user who was enabled");
        Assert.Equal(stamp, await StampAsync(user.Id));
        await AssertNothingRecordedAsync(user);

        // The check above can fail: a real change does end the session and does fire.
        (await api.PostAsync($"/api/v1/users/{user.Id}/disable")).Is(HttpStatusCode.OK);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await SignedInAsync(browser), "The session outlived disabling the user");
        Assert.Single(await UpdatedDeliveriesAsync(user.Id));
    }

    [Fact]
    public async Task Disabling_a_disabled_user_changes_nothing_and_fires_nothing()
    {
        var disabled = PortalData.NewUser(PortalData.UniqueName("disabled"));
        disabled.Enabled = false;
        var user = await factory.CreateUserAsync(disabled, Password);
        var stamp = await StampAsync(user.Id);

        (await api.PostAsync($"/api/v1/users/{user.Id}/disable")).Is(HttpStatusCode.OK);
        Assert.True((await Users.SetEnabledAsync(user.Id, false, Admin)).Succeeded);

        Assert.Equal(stamp, await StampAsync(user.Id));
        await AssertNothingRecordedAsync(user);
    }

    private async Task AssertNothingRecordedAsync(PortalUser user)
    {
        Assert.Empty(await UpdatedDeliveriesAsync(user.Id));
        await using var db = await factory.CreateDbContextAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Subject == "user " + user.UserName).Select(a => a.Action).ToListAsync();
        Assert.DoesNotContain("user.updated", audit);
    }

    private async Task<List<WebhookPortal.Features.Delivery.Delivery>> UpdatedDeliveriesAsync(string userId) =>
        [.. (await factory.DeliveriesForUserAsync(userId)).Where(d => d.Action == UserAction.Updated)];

    private async Task<string?> StampAsync(string userId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }

    // The user's own account page: 200 while the session is valid, a redirect to sign in once it is not.
    private static async Task<bool> SignedInAsync(AccountClient browser)
    {
        using var response = await browser.Http.GetAsync("/Account/Manage");
        return response.StatusCode == HttpStatusCode.OK;
    }
}
