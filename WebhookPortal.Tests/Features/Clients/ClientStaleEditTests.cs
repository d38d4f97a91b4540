using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Clients;

/// <summary>
/// Two administrators editing one client: the second save, made from the version both loaded, is refused and changes
/// neither the client row nor its OpenIddict application.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ClientStaleEditTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly AuditActor Actor = new(null, "tester", null);

    private ClientAdministration Clients => factory.Services.GetRequiredService<ClientAdministration>();

    [Fact]
    public async Task The_second_of_two_edits_from_the_same_load_is_refused_and_the_first_stays()
    {
        var clientId = PortalData.UniqueName("stale-client");
        Assert.Equal(ClientChange.Done, (await Clients.CreateAsync(new ClientModel { ClientId = clientId, DisplayName = "CRM" }, Actor)).Change);
        var firstTab = ClientModel.From((await Clients.FindAsync(clientId))!);
        var secondTab = ClientModel.From((await Clients.FindAsync(clientId))!);

        firstTab.DisplayName = "First tab";
        var first = await Clients.UpdateAsync(clientId, firstTab, Actor);
        secondTab.Description = "Second tab";
        secondTab.RedirectUris = ["https://second.example.com/cb"];
        var second = await Clients.UpdateAsync(clientId, secondTab, Actor);

        Assert.Equal(ClientChange.Done, first);
        Assert.Equal(ClientChange.Stale, second);
        var now = (await Clients.FindAsync(clientId))!;
        Assert.Equal(("First tab", "", 0), (now.DisplayName, now.Description, now.RedirectUris.Count));
        Assert.Equal(1, now.Version);
    }

    [Fact]
    public async Task A_delete_from_an_older_version_is_refused_and_the_client_stays()
    {
        var clientId = PortalData.UniqueName("stale-delete");
        Assert.Equal(ClientChange.Done, (await Clients.CreateAsync(new ClientModel { ClientId = clientId }, Actor)).Change);
        var loaded = (await Clients.FindAsync(clientId))!;
        Assert.Equal(ClientChange.Done, await Clients.UpdateAsync(clientId, new ClientModel { Description = "Changed" }, Actor));

        Assert.Equal(ClientChange.Stale, await Clients.DeleteAsync(clientId, Actor, loaded.Version));
        Assert.NotNull(await Clients.FindAsync(clientId));
        Assert.Equal(ClientChange.Done, await Clients.DeleteAsync(clientId, Actor, loaded.Version + 1));
    }
}
