using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Clients;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>Data a scenario needs before it starts, put in the portal's database directly (the scenario is about what follows).</summary>
internal static class PortalSetup
{
    /// <summary>Adds the client <paramref name="clientId"/>.</summary>
    public static async Task AddClientAsync(this PortalFactory factory, string clientId)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.Clients.Add(new Client { ClientId = clientId, CreatedAt = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }
}
