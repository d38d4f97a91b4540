using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.Abstractions;
using WebhookPortal.Common;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;

using WebhookPortal.Resources;

namespace WebhookPortal.Features.Clients;

/// <summary>
/// Creating, editing and deleting clients and rotating their secrets, with their audit entries; shared by the Docking
/// Portal pages and the API. Every client is an OpenID Connect client: its OpenIddict application (same Client ID) is
/// written through <see cref="IOpenIddictApplicationManager"/> in the same transaction as the client row.
/// </summary>
public sealed class ClientAdministration(IDbContextFactory<PortalDbContext> dbFactory, IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>
    /// The message for a <paramref name="clientId"/> that is taken, naming the <paramref name="stored"/> one when it is
    /// spelled differently (Client IDs are compared without case): "Client ID 'Demo' already exists as 'demo'".
    /// </summary>
    public static string DuplicateMessage(string clientId, string? stored) => stored is null || stored == clientId
        ? UiText.Format("Client ID '{0}' already exists.", clientId)
        : UiText.Format("Client ID '{0}' already exists as '{1}' (Client IDs are not case-sensitive).", clientId, stored);

    /// <summary>The message for an edit refused because someone changed the client after it was opened (<see cref="ClientChange.Stale"/>).</summary>
    public static string StaleMessage => UiText.Get("Someone else changed this client since you opened it. Reload to see their changes; your edits are kept in the form.");

    /// <summary>The message for rotating the secret of a public client.</summary>
    public static string NoSecretMessage(string clientId) => UiText.Format("Client {0} is public: it has no secret (it signs in with PKCE).", clientId);

    /// <summary>One page (0-based) of clients ordered by Client ID, optionally narrowed to those whose ID, display name or description contains <paramref name="search"/>.</summary>
    public async Task<(IReadOnlyList<ClientSummary> Items, int Total)> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Clients.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = TextSearch.Pattern(search.Trim());
            query = query.Where(c => TextSearch.Matches(c.ClientId, pattern) || TextSearch.Matches(c.Description, pattern)
                || TextSearch.Matches(c.Application!.DisplayName, pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await Project(query.OrderBy(c => c.ClientId).Page(page, pageSize)).ToListAsync(cancellationToken);
        return ([.. rows.Select(r => r.ToSummary())], total);
    }

    /// <summary>The client <paramref name="clientId"/> (case-insensitive), or null.</summary>
    public async Task<ClientSummary?> FindAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await Project(db.Clients.AsNoTracking().Where(c => c.ClientId == clientId)).FirstOrDefaultAsync(cancellationToken);
        return row?.ToSummary();
    }

    /// <summary>
    /// Registers a client and its application from a valid <paramref name="model"/> (<see cref="ClientModel.Errors()"/>):
    /// <see cref="ClientChange.Duplicate"/> when the Client ID is taken; for a confidential client the result carries the
    /// new secret, which is stored only as a hash.
    /// </summary>
    public async Task<ClientResult> CreateAsync(ClientModel model, AuditActor actor)
    {
        var clientId = model.ClientId.Trim();
        var type = model.Type ?? ClientType.Confidential;
        await using var write = await ClientWrite.BeginAsync(scopes);
        var (db, manager) = (write.Db, write.Applications);
        if (await db.Clients.Where(c => c.ClientId == clientId).Select(c => c.ClientId).FirstOrDefaultAsync() is { } stored)
        {
            return new(ClientChange.Duplicate, ExistingClientId: stored);
        }

        var secret = type == ClientType.Confidential ? ClientApplications.NewSecret() : null;
        var displayName = string.IsNullOrWhiteSpace(model.DisplayName) ? clientId : model.DisplayName.Trim();
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            var application = await manager.CreateAsync(ClientApplications.Descriptor(clientId, displayName, type,
                ClientModel.Clean(model.RedirectUris), ClientModel.Clean(model.PostLogoutRedirectUris), secret));
            db.Clients.Add(new Client
            {
                ClientId = clientId, Description = model.Description.Trim(), CreatedAt = now, ApplicationId = await manager.GetIdAsync(application),
            });
            AuditTrail.Add(db, actor, now, "client.created", "client " + clientId, new CodedMessage(type == ClientType.Public ? MessageCodes.AuditPublicClient : MessageCodes.AuditConfidentialClient));
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Another administrator saved the same Client ID between the check and the write; the unique index caught it.
            return new(ClientChange.Duplicate, ExistingClientId: await StoredClientIdAsync(clientId));
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException) when (DuplicateApplication(clientId))
        {
            // The same race, caught by OpenIddict's own check of its client IDs.
            return new(ClientChange.Duplicate, ExistingClientId: await StoredClientIdAsync(clientId));
        }

        await write.CommitAsync();
        return new(ClientChange.Done, secret);
    }

    /// <summary>
    /// Changes the display name, description and redirect URIs of client <paramref name="clientId"/> to a valid
    /// <paramref name="model"/> (<see cref="ClientModel.Errors(ClientSummary)"/>); the Client ID and type stay. Null
    /// display name or URI lists keep what is saved. <see cref="ClientChange.Stale"/> when <see cref="ClientModel.Version"/>
    /// is set and someone changed the client since (nothing is saved); a saved change counts up <see cref="Client.Version"/>.
    /// </summary>
    public async Task<ClientChange> UpdateAsync(string clientId, ClientModel model, AuditActor actor)
    {
        await using var write = await ClientWrite.BeginAsync(scopes);
        var (db, manager) = (write.Db, write.Applications);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId);
        if (client is null)
        {
            return ClientChange.NotFound;
        }

        // The transaction holds SQLite's write lock from its start, so nobody can change the client between this check and the save.
        if (model.Version is { } loaded && loaded != client.Version)
        {
            return ClientChange.Stale;
        }

        var application = await ApplicationOfAsync(client, manager);
        var descriptor = new OpenIddictApplicationDescriptor();
        await manager.PopulateAsync(descriptor, application);
        var changed = new List<string>();
        client.Description = model.Description.Trim();
        if (db.Entry(client).Property(c => c.Description).IsModified)
        {
            changed.Add(nameof(Client.Description));
        }

        if (!string.IsNullOrWhiteSpace(model.DisplayName) && model.DisplayName.Trim() != descriptor.DisplayName)
        {
            descriptor.DisplayName = model.DisplayName.Trim();
            changed.Add(nameof(ClientModel.DisplayName));
        }

        List<string> redirects = model.RedirectUris is null ? [.. descriptor.RedirectUris.Select(u => u.OriginalString)] : ClientModel.Clean(model.RedirectUris);
        List<string> postLogout = model.PostLogoutRedirectUris is null
            ? [.. descriptor.PostLogoutRedirectUris.Select(u => u.OriginalString)] : ClientModel.Clean(model.PostLogoutRedirectUris);
        if (!redirects.SequenceEqual(descriptor.RedirectUris.Select(u => u.OriginalString)))
        {
            changed.Add(nameof(ClientModel.RedirectUris));
        }

        if (!postLogout.SequenceEqual(descriptor.PostLogoutRedirectUris.Select(u => u.OriginalString)))
        {
            changed.Add(nameof(ClientModel.PostLogoutRedirectUris));
        }

        ClientApplications.SetUris(descriptor, redirects, postLogout);
        if (changed.Count > 0)
        {
            client.Version++;
            // Saves the client row too: the manager's store works on this scope's context.
            await manager.UpdateAsync(application, descriptor);
            AuditTrail.Add(db, actor, time.GetUtcNow().UtcDateTime, "client.updated", "client " + client.ClientId, AuditText.Changed("client", changed));
        }

        // Also the link a client registered before single sign-on got above.
        await db.SaveChangesAsync();
        await write.CommitAsync();
        return ClientChange.Done;
    }

    /// <summary>
    /// Gives confidential client <paramref name="clientId"/> a new secret, returned once in the result; the previous one
    /// stops working at once. <see cref="ClientChange.NoSecret"/> for a public client.
    /// </summary>
    public async Task<ClientResult> RotateSecretAsync(string clientId, AuditActor actor)
    {
        await using var write = await ClientWrite.BeginAsync(scopes);
        var (db, manager) = (write.Db, write.Applications);
        var client = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId);
        if (client is null)
        {
            return new(ClientChange.NotFound);
        }

        var application = await ApplicationOfAsync(client, manager);
        if (await manager.HasClientTypeAsync(application, OpenIddictConstants.ClientTypes.Public))
        {
            return new(ClientChange.NoSecret);
        }

        var secret = ClientApplications.NewSecret();
        await manager.UpdateAsync(application, secret);
        AuditTrail.Add(db, actor, time.GetUtcNow().UtcDateTime, "client.secret_rotated", "client " + client.ClientId);
        await db.SaveChangesAsync();
        await write.CommitAsync();
        return new(ClientChange.Done, secret);
    }

    /// <summary>
    /// Deletes client <paramref name="clientId"/>, its webhooks and its application with the application's authorizations
    /// and tokens (sign-ins through it stop, issued tokens are revoked), cancelling pending deliveries (the history stays).
    /// </summary>
    /// <remarks><see cref="ClientChange.Stale"/> (nothing deleted) when <paramref name="version"/> is given and is no longer the client's <see cref="Client.Version"/>.</remarks>
    public async Task<ClientChange> DeleteAsync(string clientId, AuditActor actor, int? version = null)
    {
        await using var write = await ClientWrite.BeginAsync(scopes);
        var (db, manager) = (write.Db, write.Applications);
        var client = await db.Clients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Select(c => new { c.Id, c.ClientId, c.ApplicationId, c.Version, Webhooks = c.Webhooks.Count }).FirstOrDefaultAsync();
        if (client is null)
        {
            return ClientChange.NotFound;
        }

        if (version is not null && version != client.Version)
        {
            return ClientChange.Stale;
        }

        await db.Deliveries.CancelPendingAsync(d => d.Webhook!.ClientKey == client.Id, time);
        if (await db.Clients.Where(c => c.Id == client.Id).ExecuteDeleteAsync() == 0)
        {
            return ClientChange.NotFound;
        }

        // By its link, or by Client ID for one whose link start-up has not written yet.
        var application = (client.ApplicationId is null ? null : await manager.FindByIdAsync(client.ApplicationId))
            ?? await manager.FindByClientIdAsync(client.ClientId);
        if (application is not null)
        {
            await manager.DeleteAsync(application);
        }

        AuditTrail.Add(db, actor, time.GetUtcNow().UtcDateTime, "client.deleted", "client " + client.ClientId, new CodedMessage(MessageCodes.AuditWithWebhooks, client.Webhooks.ToString(CultureInfo.InvariantCulture)));
        await db.SaveChangesAsync();
        await write.CommitAsync();
        return ClientChange.Done;
    }

    /// <summary>
    /// Gives every client that has no application yet (registered before single sign-on) a confidential one named after
    /// its Client ID, without redirect URIs and with a secret nobody sees (rotating it shows one); an application that
    /// already has the Client ID is linked instead. Safe to run twice. Returns how many clients it linked.
    /// </summary>
    public async Task<int> LinkApplicationsAsync(CancellationToken cancellationToken = default)
    {
        var linked = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var id in await db.Clients.Where(c => c.ApplicationId == null).Select(c => c.Id).ToListAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.Clients.FirstOrDefaultAsync(c => c.Id == id && c.ApplicationId == null, cancellationToken) is { } client)
            {
                await ApplicationOfAsync(client, manager, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                linked++;
            }
        }

        return linked;
    }

    /// <summary>
    /// The application of the tracked <paramref name="client"/>; one without (registered before single sign-on) gets its
    /// application now, or is linked to an existing one of its Client ID, and <see cref="Client.ApplicationId"/> is set
    /// (the caller saves).
    /// </summary>
    private static async Task<object> ApplicationOfAsync(Client client, IOpenIddictApplicationManager manager, CancellationToken cancellationToken = default)
    {
        if (client.ApplicationId is not null && await manager.FindByIdAsync(client.ApplicationId, cancellationToken) is { } linked)
        {
            return linked;
        }

        var application = await manager.FindByClientIdAsync(client.ClientId, cancellationToken)
            ?? await manager.CreateAsync(ClientApplications.Descriptor(client.ClientId, client.ClientId, ClientType.Confidential, [], [],
                ClientApplications.NewSecret()), cancellationToken);
        client.ApplicationId = await manager.GetIdAsync(application, cancellationToken);
        return application;
    }

    // The spelling that was saved, read outside the failed write; null when it is gone again.
    private async Task<string?> StoredClientIdAsync(string clientId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Clients.Where(c => c.ClientId == clientId).Select(c => c.ClientId).FirstOrDefaultAsync();
    }

    // OpenIddict's message names no field; the client ID is what two administrators can race on.
    private bool DuplicateApplication(string clientId)
    {
        using var db = dbFactory.CreateDbContext();
        return db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().Any(a => a.ClientId == clientId);
    }

    private static IQueryable<ClientRow> Project(IQueryable<Client> clients) => clients.Select(c => new ClientRow(
        c.ClientId, c.Application!.DisplayName, c.Description, c.Application!.ClientType, c.Application!.RedirectUris,
        c.Application!.PostLogoutRedirectUris, c.Webhooks.Count, c.CreatedAt, c.Version));

    private sealed record ClientRow(string ClientId, string? DisplayName, string Description, string? ClientType, string? RedirectUris,
        string? PostLogoutRedirectUris, int WebhookCount, DateTime CreatedAt, int Version)
    {
        public ClientSummary ToSummary() => new(ClientId, string.IsNullOrEmpty(DisplayName) ? ClientId : DisplayName, Description,
            ClientApplications.TypeOf(ClientType), ClientApplications.ParseUris(RedirectUris), ClientApplications.ParseUris(PostLogoutRedirectUris),
            WebhookCount, CreatedAt, Version);
    }

    /// <summary>
    /// One write of a client: a scope whose <see cref="PortalDbContext"/> OpenIddict's application manager also uses, and a
    /// transaction on it, so the client row and its application commit together or not at all.
    /// </summary>
    private sealed class ClientWrite(AsyncServiceScope scope, PortalDbContext db, IDbContextTransaction transaction) : IAsyncDisposable
    {
        public PortalDbContext Db { get; } = db;

        public IOpenIddictApplicationManager Applications { get; } = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        public static async Task<ClientWrite> BeginAsync(IServiceScopeFactory scopes)
        {
            var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            return new ClientWrite(scope, db, await db.Database.BeginTransactionAsync());
        }

        public Task CommitAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await scope.DisposeAsync();
        }
    }
}
