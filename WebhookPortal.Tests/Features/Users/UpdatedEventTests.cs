using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>
/// Updated fires once per real change of a field the payload shows, with ChangedFields, and never for Identity's
/// bookkeeping (DESIGN §2). Deliveries are written in the user change's transaction, so the outbox can be read as soon
/// as the change returns.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class UpdatedEventTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Body = """{"changed":"{{$$.ChangedFields$$}}","enabled":{{$$.Enabled$$}},"first":"{{$$.FirstName$$}}","phone":"{{$$.Phone$$}}","name":"{{$$.Name$$}}"}""";
    private const string Password = "User-Passw0rd!";

    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await LoopbackReceiver.StartAsync();
        await factory.UseOnlyWebhookAsync(receiver.Url("/updated"), UserAction.Updated, body: Body);
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Lists_every_changed_shown_field_when_profile_fields_change_together()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("profile")), Password);

        await ChangeAsync(user.Id, async (users, u) =>
        {
            u.FirstName = "新名字";
            u.LastName = "Changed";
            u.PhoneNumber = "+1 555 0199";
            return await users.UpdateAsync(u);
        });

        var body = await ReceivedBodyAsync(user.Id);
        Assert.Equal("FirstName,LastName,Phone", body.GetProperty("changed").GetString());
        Assert.Equal("新名字", body.GetProperty("first").GetString());
        Assert.Equal("+1 555 0199", body.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task Lists_name_when_user_name_changes()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("rename")), Password);
        var newName = PortalData.UniqueName("renamed");

        await ChangeAsync(user.Id, (users, u) => users.SetUserNameAsync(u, newName));

        var body = await ReceivedBodyAsync(user.Id);
        Assert.Equal("Name", body.GetProperty("changed").GetString());
        Assert.Equal(newName, body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Lists_password_when_password_changes()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("password")), Password);

        await ChangeAsync(user.Id, (users, u) => users.ChangePasswordAsync(u, Password, "Another-Passw0rd!"));

        Assert.Equal("Password", (await ReceivedBodyAsync(user.Id)).GetProperty("changed").GetString());
    }

    [Fact]
    public async Task Lists_enabled_and_renders_false_when_user_is_disabled()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("disable")), Password);

        await ChangeAsync(user.Id, (users, u) => users.SetEnabledAsync(u, false));

        var body = await ReceivedBodyAsync(user.Id);
        Assert.Equal("Enabled", body.GetProperty("changed").GetString());
        Assert.Equal(JsonValueKind.False, body.GetProperty("enabled").ValueKind);
    }

    [Fact]
    public async Task Fires_once_per_change()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("twice")), Password);

        await ChangeAsync(user.Id, (users, u) => users.SetPhoneNumberAsync(u, "+1 555 0101"));
        await ChangeAsync(user.Id, (users, u) => users.SetEmailAsync(u, PortalData.UniqueName("second") + "@example.test"));

        var deliveries = await factory.DeliveriesForUserAsync(user.Id);
        Assert.Equal([UserAction.Updated, UserAction.Updated], deliveries.Select(d => d.Action));
        Assert.NotEqual(deliveries[0].EventId, deliveries[1].EventId);
        Assert.Equal(["Phone", "Email"], deliveries.Select(d => JsonDocument.Parse(d.Body!).RootElement.GetProperty("changed").GetString()));
    }

    [Fact]
    public async Task Fires_nothing_when_an_update_changes_no_shown_field()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("same")), Password);

        await ChangeAsync(user.Id, (users, u) => users.UpdateAsync(u));
        await ChangeAsync(user.Id, async (users, u) =>
        {
            u.FirstName = u.FirstName;
            u.PhoneNumber = u.PhoneNumber;
            return await users.UpdateAsync(u);
        });
        await ChangeAsync(user.Id, (users, u) => users.SetEnabledAsync(u, true));

        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
    }

    [Fact]
    public async Task Fires_nothing_for_sign_in_bookkeeping()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("bookkeeping")), Password);

        // Failed attempts until Identity locks the account out, then the reset a successful sign-in does.
        for (var i = 0; i < 5; i++)
        {
            await ChangeAsync(user.Id, (users, u) => users.AccessFailedAsync(u));
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!));
        }

        await ChangeAsync(user.Id, (users, u) => users.ResetAccessFailedCountAsync(u));
        await ChangeAsync(user.Id, (users, u) => users.SetLockoutEndDateAsync(u, null));
        await ChangeAsync(user.Id, (users, u) => users.UpdateSecurityStampAsync(u));
        await ChangeAsync(user.Id, async (users, u) => await users.ConfirmEmailAsync(u, await users.GenerateEmailConfirmationTokenAsync(u)));
        await ChangeAsync(user.Id, (users, u) => users.AddToRoleAsync(u, AdminOptions.Role));

        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
        await using var db = await factory.CreateDbContextAsync();
        Assert.True((await db.Users.SingleAsync(u => u.Id == user.Id)).EmailConfirmed);
    }

    [Fact]
    public async Task Fires_nothing_when_an_update_is_refused()
    {
        var taken = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("taken")), Password);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("refused")), Password);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var result = await users.SetEmailAsync((await users.FindByIdAsync(user.Id))!, taken.Email);
            Assert.Contains(result.Errors, e => e.Code == "DuplicateEmail");
        }

        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(user.Email, (await db.Users.SingleAsync(u => u.Id == user.Id)).Email);
    }

    /// <summary>Loads the user in a fresh scope, as a page would, and applies <paramref name="change"/>, which must succeed.</summary>
    private async Task ChangeAsync(string userId, Func<PortalUserManager, PortalUser, Task<Microsoft.AspNetCore.Identity.IdentityResult>> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var user = await users.FindByIdAsync(userId) ?? throw new Xunit.Sdk.XunitException($"User {userId} is gone.");
        var result = await change(users, user);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>The body the receiver got for the user's single Updated delivery, checked against the outbox row.</summary>
    private async Task<JsonElement> ReceivedBodyAsync(string userId)
    {
        var delivery = await factory.SingleDeliveryAsync(userId, UserAction.Updated);
        var request = await receiver.WaitForRequestAsync(
            r => r.Header("webhook-id") == delivery.MessageId, TimeSpan.FromSeconds(15), $"request for delivery {delivery.MessageId}");
        WebhookAssert.HasStandardHeaders(request, delivery, "user.updated", withBody: true);
        Assert.Equal(delivery.Body, request.Body);
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }
}
