using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenIddict.EntityFrameworkCore.Models;
using WebhookPortal.Features.Clients;
using WebhookPortal.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Tests.Features.Clients;

/// <summary>Clients registered before single sign-on get their application when the portal starts.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ClientApplicationLinkerTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Fact]
    public async Task A_client_without_application_gets_a_confidential_one_at_start_up_and_a_second_run_changes_nothing()
    {
        await using (var first = PortalFactory.Create(directory))
        {
            await using var db = await first.CreateDbContextAsync();
            db.Clients.Add(new Client { ClientId = "legacy-erp", Description = "Registered before SSO", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await using var second = PortalFactory.Create(directory);
        OpenIddictEntityFrameworkCoreApplication application;
        await using (var db = await second.CreateDbContextAsync())
        {
            var client = await db.Clients.Include(c => c.Application).SingleAsync(c => c.ClientId == "legacy-erp");
            application = client.Application!;
            Assert.NotNull(application);
            Assert.Equal(("legacy-erp", "legacy-erp", ClientTypes.Confidential), (application.ClientId, application.DisplayName, application.ClientType));
            Assert.False(string.IsNullOrEmpty(application.ClientSecret));
            Assert.Equal("[]", application.RedirectUris ?? "[]");
        }

        // Run again, as a second start would: nothing left to link, nothing created twice.
        Assert.Equal(0, await second.Services.GetRequiredService<ClientAdministration>().LinkApplicationsAsync());
        await second.Services.GetServices<IHostedService>().OfType<ClientApplicationLinker>().Single().StartAsync(CancellationToken.None);
        await using (var db = await second.CreateDbContextAsync())
        {
            Assert.Equal([application.Id], await db.Set<OpenIddictEntityFrameworkCoreApplication>().Where(a => a.ClientId == "legacy-erp").Select(a => a.Id).ToListAsync());
        }
    }

    public void Dispose() => directory.Dispose();
}
