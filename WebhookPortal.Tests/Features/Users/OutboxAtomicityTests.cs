using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>If a user change commits its deliveries exist; if it fails or rolls back, none do (DESIGN §2).</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class OutboxAtomicityTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await LoopbackReceiver.StartAsync();
        await factory.UseOnlyWebhookAsync(receiver.Url("/outbox"), UserAction.Created | UserAction.Updated | UserAction.Deleted);
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Creates_no_delivery_when_user_creation_fails_for_a_duplicate_user_name()
    {
        var first = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("dup")));
        var second = PortalData.NewUser(first.UserName!);
        second.Email = PortalData.UniqueName("other") + "@example.test";

        var result = await CreateAsync(second);

        Assert.Contains(result.Errors, e => e.Code == "DuplicateUserName");
        Assert.Empty(await factory.DeliveriesForUserAsync(second.Id));
        Assert.Equal([first.Id], (await factory.DeliveriesAsync()).Select(d => d.UserId));
    }

    [Fact]
    public async Task Creates_no_delivery_when_user_creation_fails_for_a_duplicate_email()
    {
        var first = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("mail")));
        var second = PortalData.NewUser(PortalData.UniqueName("mail2"));
        second.Email = first.Email;

        var result = await CreateAsync(second);

        Assert.Contains(result.Errors, e => e.Code == "DuplicateEmail");
        Assert.Empty(await factory.DeliveriesForUserAsync(second.Id));
    }

    [Fact]
    public async Task Creates_no_delivery_when_the_password_is_refused()
    {
        var user = PortalData.NewUser(PortalData.UniqueName("weak"));

        var result = await CreateAsync(user, "short");

        Assert.False(result.Succeeded);
        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
        await using var db = await factory.CreateDbContextAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Id == user.Id));
    }

    [Fact]
    public async Task Creates_neither_user_nor_delivery_when_the_surrounding_transaction_rolls_back()
    {
        var user = PortalData.NewUser(PortalData.UniqueName("rollback"));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.True((await users.CreateAsync(user, "User-Passw0rd!")).Succeeded);
            Assert.Single(await db.Deliveries.Where(d => d.UserId == user.Id).ToListAsync());
            await transaction.RollbackAsync();
        }

        await using var check = await factory.CreateDbContextAsync();
        Assert.False(await check.Users.AnyAsync(u => u.Id == user.Id));
        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
    }

    [Fact]
    public async Task Makes_deliveries_visible_and_sends_them_only_after_the_surrounding_transaction_commits()
    {
        var user = PortalData.NewUser(PortalData.UniqueName("commit"));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.True((await users.CreateAsync(user, "User-Passw0rd!")).Succeeded);
            Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
            await transaction.CommitAsync();
            scope.ServiceProvider.GetRequiredService<IUserEventNotifier>().Wake();
        }

        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.Created);
        var request = await receiver.WaitForRequestToAsync("/outbox", TimeSpan.FromSeconds(15));
        Assert.Equal(delivery.MessageId, request.Header("webhook-id"));
        await factory.WaitForDeliveryAsync(delivery.Id, d => d.Status == DeliveryStatus.Succeeded, "Succeeded");
    }

    private async Task<Microsoft.AspNetCore.Identity.IdentityResult> CreateAsync(PortalUser user, string password = "User-Passw0rd!")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalUserManager>().CreateAsync(user, password);
    }
}
