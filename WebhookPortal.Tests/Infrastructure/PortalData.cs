using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>Rows the tests put in and read back through the host's own <see cref="IDbContextFactory{TContext}"/>.</summary>
public static class PortalData
{
    /// <summary>
    /// Removes every client (and so every webhook) and every delivery, then registers one client with one webhook.
    /// Tests sharing a host call this first, so only their webhook fires.
    /// </summary>
    public static async Task<Webhook> UseOnlyWebhookAsync(
        this PortalFactory factory, string url, UserAction actions, string method = "POST", string body = "",
        string clientId = "test-client", string name = "Test webhook")
    {
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Clients.ExecuteDeleteAsync();
            await db.Deliveries.ExecuteDeleteAsync();
        }

        return await factory.AddWebhookAsync(url, actions, method, body, clientId, name);
    }

    /// <summary>Adds a webhook, and its client when no client has <paramref name="clientId"/> yet.</summary>
    public static async Task<Webhook> AddWebhookAsync(
        this PortalFactory factory, string url, UserAction actions, string method = "POST", string body = "",
        string clientId = "test-client", string name = "Test webhook", bool enabled = true)
    {
        await using var db = await factory.CreateDbContextAsync();
        var now = DateTime.UtcNow;
        var client = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId);
        if (client is null)
        {
            client = new Client { ClientId = clientId, Description = "Created by a test", CreatedAt = now };
            db.Clients.Add(client);
        }

        var webhook = new Webhook
        {
            Client = client,
            Name = name,
            Object = WebhookObject.User,
            Actions = actions,
            Url = url,
            Method = method,
            Body = body,
            Enabled = enabled,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync();
        webhook.Client = null;
        return webhook;
    }

    /// <summary>Every delivery with its attempts (numbered order), oldest first.</summary>
    public static async Task<List<Delivery>> DeliveriesAsync(this PortalFactory factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        var rows = await db.Deliveries.AsNoTracking().Include(d => d.Attempts).ToListAsync();
        foreach (var row in rows)
        {
            row.Attempts = [.. row.Attempts.OrderBy(a => a.Number)];
        }

        return [.. rows.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)];
    }

    /// <summary>The deliveries about user <paramref name="userId"/>.</summary>
    public static async Task<List<Delivery>> DeliveriesForUserAsync(this PortalFactory factory, string userId) =>
        [.. (await factory.DeliveriesAsync()).Where(d => d.UserId == userId)];

    /// <summary>One delivery with its attempts, or null.</summary>
    public static async Task<Delivery?> DeliveryAsync(this PortalFactory factory, Guid id) =>
        (await factory.DeliveriesAsync()).FirstOrDefault(d => d.Id == id);

    /// <summary>Waits until exactly one delivery exists for the user and action, and returns it.</summary>
    public static async Task<Delivery> SingleDeliveryAsync(this PortalFactory factory, string userId, UserAction action) =>
        (await Eventually.MatchesAsync(
            async () => (await factory.DeliveriesForUserAsync(userId)).Where(d => d.Action == action).ToList(),
            list => list.Count == 1,
            $"one {action} delivery for user {userId}")).Single();

    /// <summary>Waits until delivery <paramref name="id"/> satisfies <paramref name="done"/>.</summary>
    public static async Task<Delivery> WaitForDeliveryAsync(this PortalFactory factory, Guid id, Func<Delivery, bool> done, string what) =>
        (await Eventually.MatchesAsync(
            () => factory.DeliveryAsync(id), d => d is not null && done(d), $"delivery {id} to be {what}", describe: Describe))!;

    /// <summary>A delivery's state in one line, for failure messages.</summary>
    public static string Describe(Delivery? d) => d is null
        ? "no such delivery"
        : $"{d.Status}, {d.AttemptCount} attempt(s), last status {d.LastStatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, " +
          $"last error {d.LastError ?? "none"}, next attempt {d.NextAttemptAt?.ToString("O") ?? "none"}, lease {d.LeaseOwner ?? "none"}";

    /// <summary>Creates a user through <see cref="PortalUserManager"/> in its own scope; fails the test if Identity refuses.</summary>
    public static async Task<PortalUser> CreateUserAsync(this PortalFactory factory, PortalUser user, string password = "User-Passw0rd!")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, "Creating the user failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>A user with distinct, non-trivial values in every shown field.</summary>
    public static PortalUser NewUser(string userName, string? firstName = null, string? lastName = null) => new()
    {
        UserName = userName,
        Email = userName + "@example.test",
        FirstName = firstName ?? "张伟 \"Wei\"",
        LastName = lastName ?? "O'Brien\\🎉",
        PhoneNumber = "+86 138 0000 0000",
    };

    /// <summary>A user name no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
