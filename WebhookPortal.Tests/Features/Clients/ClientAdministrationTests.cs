using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Localization;
using WebhookPortal.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Tests.Features.Clients;

/// <summary>Clients as OpenID Connect clients: <see cref="ClientAdministration"/> on the real app, its real database and OpenIddict's real manager.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ClientAdministrationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly AuditActor Actor = new(null, "tester", null);

    private ClientAdministration Clients => factory.Services.GetRequiredService<ClientAdministration>();

    [Fact]
    public async Task A_confidential_client_gets_a_secret_once_stored_only_as_a_hash()
    {
        var clientId = PortalData.UniqueName("conf");

        var created = await Clients.CreateAsync(new ClientModel { ClientId = clientId, DisplayName = "CRM", RedirectUris = ["https://crm.example.com/signin-oidc"] }, Actor);

        Assert.Equal(ClientChange.Done, created.Change);
        Assert.StartsWith("cs_", created.ClientSecret);
        Assert.True(created.ClientSecret!.Length >= 40);
        await using var db = await factory.CreateDbContextAsync();
        var client = await db.Clients.Include(c => c.Application).SingleAsync(c => c.ClientId == clientId);
        Assert.NotNull(client.Application);
        Assert.Equal(clientId, client.Application.ClientId);
        Assert.Equal("CRM", client.Application.DisplayName);
        Assert.Equal(ClientTypes.Confidential, client.Application.ClientType);
        Assert.Equal(ConsentTypes.Implicit, client.Application.ConsentType);
        Assert.False(string.IsNullOrEmpty(client.Application.ClientSecret));
        Assert.DoesNotContain(created.ClientSecret, client.Application.ClientSecret, StringComparison.Ordinal);
        var audit = await db.AuditEntries.SingleAsync(a => a.Subject == "client " + clientId);
        Assert.Equal("client.created", audit.Action);
        Assert.DoesNotContain(created.ClientSecret, audit.Details ?? "", StringComparison.Ordinal);

        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = (await manager.FindByClientIdAsync(clientId))!;
        Assert.True(await manager.ValidateClientSecretAsync(application, created.ClientSecret));
        Assert.False(await manager.ValidateClientSecretAsync(application, created.ClientSecret + "x"));
        Assert.True(await manager.ValidateRedirectUriAsync(application, "https://crm.example.com/signin-oidc"));
        Assert.True(await manager.HasPermissionAsync(application, Permissions.Endpoints.Introspection));
        Assert.True(await manager.HasPermissionAsync(application, Permissions.GrantTypes.AuthorizationCode));
        Assert.True(await manager.HasPermissionAsync(application, Permissions.Prefixes.Scope + Scopes.OfflineAccess));
        Assert.False(await manager.HasRequirementAsync(application, Requirements.Features.ProofKeyForCodeExchange));

        var read = (await Clients.FindAsync(clientId))!;
        Assert.Equal(("CRM", ClientType.Confidential), (read.DisplayName, read.Type));
        Assert.Equal(["https://crm.example.com/signin-oidc"], read.RedirectUris);
    }

    [Fact]
    public async Task A_public_client_has_no_secret_and_must_use_pkce()
    {
        var clientId = PortalData.UniqueName("spa");

        var created = await Clients.CreateAsync(new ClientModel { ClientId = clientId, Type = ClientType.Public, RedirectUris = ["http://localhost:5173/callback"] }, Actor);

        Assert.Equal(ClientChange.Done, created.Change);
        Assert.Null(created.ClientSecret);
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = (await manager.FindByClientIdAsync(clientId))!;
        Assert.True(await manager.HasClientTypeAsync(application, ClientTypes.Public));
        Assert.True(await manager.HasRequirementAsync(application, Requirements.Features.ProofKeyForCodeExchange));
        Assert.False(await manager.HasPermissionAsync(application, Permissions.Endpoints.Introspection));
        await using var db = await factory.CreateDbContextAsync();
        Assert.Null((await db.Set<OpenIddictEntityFrameworkCoreApplication>().SingleAsync(a => a.ClientId == clientId)).ClientSecret);
        Assert.Equal(clientId, (await Clients.FindAsync(clientId))!.DisplayName);

        Assert.Equal(ClientChange.NoSecret, (await Clients.RotateSecretAsync(clientId, Actor)).Change);
    }

    [Fact]
    public async Task Rotating_the_secret_returns_a_new_one_once_and_the_old_one_stops_working()
    {
        var clientId = PortalData.UniqueName("rot");
        var first = (await Clients.CreateAsync(new ClientModel { ClientId = clientId }, Actor)).ClientSecret!;

        var rotated = await Clients.RotateSecretAsync(clientId, Actor);

        Assert.Equal(ClientChange.Done, rotated.Change);
        Assert.NotEqual(first, rotated.ClientSecret);
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = (await manager.FindByClientIdAsync(clientId))!;
        Assert.False(await manager.ValidateClientSecretAsync(application, first));
        Assert.True(await manager.ValidateClientSecretAsync(application, rotated.ClientSecret!));
        await using var db = await factory.CreateDbContextAsync();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "client.secret_rotated" && a.Subject == "client " + clientId);
        Assert.DoesNotContain(rotated.ClientSecret!, audit.Details ?? "", StringComparison.Ordinal);
        Assert.Equal(ClientChange.NotFound, (await Clients.RotateSecretAsync("no-such-client", Actor)).Change);
    }

    [Fact]
    public async Task Editing_changes_the_application_but_not_the_client_id_type_or_secret()
    {
        var clientId = PortalData.UniqueName("edit");
        var secret = (await Clients.CreateAsync(new ClientModel { ClientId = clientId, RedirectUris = ["https://a.example.com/cb"] }, Actor)).ClientSecret!;

        var changed = await Clients.UpdateAsync(clientId, new ClientModel
        {
            DisplayName = "Renamed", Description = "Now with SSO",
            RedirectUris = ["https://b.example.com/cb", "https://c.example.com/cb"], PostLogoutRedirectUris = ["https://b.example.com/"],
        }, Actor);

        Assert.Equal(ClientChange.Done, changed);
        var read = (await Clients.FindAsync(clientId))!;
        Assert.Equal((clientId, "Renamed", "Now with SSO", ClientType.Confidential), (read.ClientId, read.DisplayName, read.Description, read.Type));
        Assert.Equal(["https://b.example.com/cb", "https://c.example.com/cb"], read.RedirectUris);
        Assert.Equal(["https://b.example.com/"], read.PostLogoutRedirectUris);
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = (await manager.FindByClientIdAsync(clientId))!;
        Assert.True(await manager.ValidateClientSecretAsync(application, secret));
        Assert.False(await manager.ValidateRedirectUriAsync(application, "https://a.example.com/cb"));
        await using var db = await factory.CreateDbContextAsync();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "client.updated" && a.Subject == "client " + clientId);
        Assert.Equal("Changed: Description, Display name, Redirect URIs, Post-logout redirect URIs", MessageText.English(audit.Details));

        // Left out (null), the display name and the lists keep what is saved.
        Assert.Equal(ClientChange.Done, await Clients.UpdateAsync(clientId, new ClientModel { Description = "Now with SSO" }, Actor));
        Assert.Equal(read, await Clients.FindAsync(clientId), new SummaryComparer());
    }

    [Fact]
    public async Task Deleting_a_client_deletes_its_application_and_revokes_its_tokens()
    {
        var clientId = PortalData.UniqueName("del");
        await Clients.CreateAsync(new ClientModel { ClientId = clientId }, Actor);
        string applicationId, tokenId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            applicationId = (await applications.GetIdAsync((await applications.FindByClientIdAsync(clientId))!))!;
            var token = await tokens.CreateAsync(new OpenIddictTokenDescriptor
            {
                ApplicationId = applicationId, Subject = "user-1", Type = TokenTypeHints.RefreshToken, Status = Statuses.Valid,
                CreationDate = DateTimeOffset.UtcNow, ExpirationDate = DateTimeOffset.UtcNow.AddDays(1),
            });
            tokenId = (await tokens.GetIdAsync(token))!;
        }

        Assert.Equal(ClientChange.Done, await Clients.DeleteAsync(clientId, Actor));

        await using var db = await factory.CreateDbContextAsync();
        Assert.False(await db.Clients.AnyAsync(c => c.ClientId == clientId));
        Assert.False(await db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.Id == applicationId || a.ClientId == clientId));
        Assert.False(await db.Set<OpenIddictEntityFrameworkCoreToken>().AnyAsync(t => t.Id == tokenId));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "client.deleted" && a.Subject == "client " + clientId));
    }

    [Fact]
    public async Task A_client_without_application_reads_as_confidential_and_gets_one_when_edited()
    {
        var clientId = PortalData.UniqueName("old");
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Clients.Add(new Client { ClientId = clientId, Description = "Before SSO", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var read = (await Clients.FindAsync(clientId))!;
        Assert.Equal((clientId, ClientType.Confidential), (read.DisplayName, read.Type));
        Assert.Empty(read.RedirectUris);
        Assert.Contains(clientId, (await Clients.ListAsync(clientId, 0, 10)).Items.Select(c => c.ClientId));

        Assert.Equal(ClientChange.Done, await Clients.UpdateAsync(clientId, new ClientModel { Description = "Before SSO", RedirectUris = ["https://old.example.com/cb"] }, Actor));

        await using (var db = await factory.CreateDbContextAsync())
        {
            var client = await db.Clients.Include(c => c.Application).SingleAsync(c => c.ClientId == clientId);
            Assert.Equal(clientId, client.Application?.ClientId);
        }

        Assert.Equal(["https://old.example.com/cb"], (await Clients.FindAsync(clientId))!.RedirectUris);
        Assert.NotNull((await Clients.RotateSecretAsync(clientId, Actor)).ClientSecret);
    }

    [Fact]
    public async Task The_list_search_matches_the_display_name()
    {
        var clientId = PortalData.UniqueName("search");
        await Clients.CreateAsync(new ClientModel { ClientId = clientId, DisplayName = "Payroll Zebra" }, Actor);

        var (items, _) = await Clients.ListAsync("payroll zeb", 0, 10);

        Assert.Equal([clientId], items.Select(c => c.ClientId));
    }

    /// <summary>Summaries are equal when their values are: the URI lists compare by content.</summary>
    private sealed class SummaryComparer : IEqualityComparer<ClientSummary?>
    {
        public bool Equals(ClientSummary? x, ClientSummary? y) =>
            x is not null && y is not null && x with { RedirectUris = [], PostLogoutRedirectUris = [] } == y with { RedirectUris = [], PostLogoutRedirectUris = [] }
            && x.RedirectUris.SequenceEqual(y.RedirectUris) && x.PostLogoutRedirectUris.SequenceEqual(y.PostLogoutRedirectUris);

        public int GetHashCode(ClientSummary? obj) => obj?.ClientId.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
