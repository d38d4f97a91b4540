using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>
/// Password hashes go through <see cref="PasswordHashingGate"/>: never more at once than its width, and never on a thread-pool
/// thread, whichever way a burst of them comes in (creations, password checks, resets) — and the hashes are still Identity's.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class PasswordHashingGateTests : IAsyncLifetime
{
    private readonly PortalFactory portal = PortalFactory.Create();
    private readonly CountingHasher hasher = new();
    private WebApplicationFactory<Program>? factory;

    public Task InitializeAsync()
    {
        factory = portal.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(new PasswordHashingGate(width: 1));
            services.AddSingleton<IPasswordHasher<PortalUser>>(hasher);
        }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        await portal.DisposeAsync();
    }

    [Fact]
    public async Task A_burst_of_creations_checks_and_resets_hashes_one_at_a_time_off_the_thread_pool()
    {
        // The host starts here, creating the administrator; only the burst below is counted.
        var services = factory!.Services;
        var users = services.GetRequiredService<UserAdministration>();
        const string password = "Burst-Passw0rd!";
        hasher.Reset();

        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => users.CreateAsync(new UserModel
        {
            UserName = $"burst{i}",
            Email = $"burst{i}@portal.test",
            FirstName = "Burst",
            LastName = "User",
            Password = password,
        }, AuditActor.System))));
        Assert.All(created, result => Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description))));
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await users.FindByNameAsync($"burst{i}"))!.Id);
        }

        var checks = ids.Take(3).Select(id => Task.Run(async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var manager = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            return await manager.CheckPasswordAsync((await manager.FindByIdAsync(id))!, password);
        })).ToList();
        var resets = ids.Skip(3).Select(id => Task.Run(() => users.ResetPasswordAsync(id, "Reset-Passw0rd!", AuditActor.System))).ToList();
        Assert.All(await Task.WhenAll(checks), Assert.True);
        Assert.All(await Task.WhenAll(resets), result => Assert.True(result.Succeeded));

        Assert.Equal(6 + 3 + 3, hasher.Calls);
        Assert.Equal(1, hasher.MostAtOnce);
        Assert.Equal(0, hasher.OnThreadPool);
        await using var check = services.CreateAsyncScope();
        var manager = check.ServiceProvider.GetRequiredService<PortalUserManager>();
        Assert.True(await manager.CheckPasswordAsync((await manager.FindByIdAsync(ids[5]))!, "Reset-Passw0rd!"));
        Assert.False(await manager.CheckPasswordAsync((await manager.FindByIdAsync(ids[5]))!, password));
    }

    /// <summary>Identity's own hasher, slowed down a little so that overlapping hashes would be seen, counting them.</summary>
    private sealed class CountingHasher : IPasswordHasher<PortalUser>
    {
        private readonly PasswordHasher<PortalUser> inner = new();
        private int running;
        private int mostAtOnce;
        private int calls;
        private int onThreadPool;

        public int MostAtOnce => Volatile.Read(ref mostAtOnce);

        public int Calls => Volatile.Read(ref calls);

        public int OnThreadPool => Volatile.Read(ref onThreadPool);

        public void Reset()
        {
            Volatile.Write(ref mostAtOnce, 0);
            Volatile.Write(ref calls, 0);
            Volatile.Write(ref onThreadPool, 0);
        }

        public string HashPassword(PortalUser user, string password) => Count(() => inner.HashPassword(user, password));

        public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword) =>
            Count(() => inner.VerifyHashedPassword(user, hashedPassword, providedPassword));

        private T Count<T>(Func<T> hash)
        {
            var now = Interlocked.Increment(ref running);
            Interlocked.Increment(ref calls);
            if (Thread.CurrentThread.IsThreadPoolThread)
            {
                Interlocked.Increment(ref onThreadPool);
            }

            int seen;
            while (now > (seen = Volatile.Read(ref mostAtOnce)) && Interlocked.CompareExchange(ref mostAtOnce, now, seen) != seen)
            {
            }

            try
            {
                Thread.Sleep(20);
                return hash();
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }
    }
}
