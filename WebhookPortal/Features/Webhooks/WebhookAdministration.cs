using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Delivery;
using WebhookPortal.Features.Localization;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;

using WebhookPortal.Resources;

namespace WebhookPortal.Features.Webhooks;

/// <summary>
/// The reads, save-time rules and audit of webhooks, shared by the client page and the API: a unique name per client, the SSRF guard
/// on the URL's host (<see cref="NetworkGuard"/>), secrets encrypted (<see cref="SecretProtector"/>), and audit entries that
/// record which fields and secrets changed (never a secret's value).
/// </summary>
public sealed class WebhookAdministration(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, NetworkGuard network, SecretProtector secrets, DeliveryFeed feed)
{
    /// <summary>Client <paramref name="clientId"/> (case-insensitive) with its webhooks ordered by name, or null when there is no such client.</summary>
    public async Task<ClientWebhooks?> ListAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        if (client is null)
        {
            return null;
        }

        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.ClientKey == client.Id).OrderBy(w => w.Name).ToListAsync(cancellationToken);
        return new ClientWebhooks(client, webhooks);
    }

    /// <summary>Webhook <paramref name="webhookId"/> of client <paramref name="clientId"/>, with its client; null when the client has no such webhook.</summary>
    public async Task<Webhook?> FindAsync(string clientId, int webhookId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Webhooks.AsNoTracking().Include(w => w.Client)
            .FirstOrDefaultAsync(w => w.Id == webhookId && w.Client!.ClientId == clientId, cancellationToken);
    }

    /// <summary>
    /// The webhooks the system disabled, counted per client and ordered by client ID (ordinal); empty when there are none.
    /// Only the system sets <see cref="Webhook.DisabledReason"/>, so an administrator's Disable is not counted.
    /// </summary>
    public async Task<IReadOnlyList<AutoDisabledCount>> AutoDisabledAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var groups = await db.Webhooks.AsNoTracking()
            .Where(w => w.DisabledReason != null)
            .GroupBy(w => w.Client!.ClientId)
            .Select(g => new AutoDisabledCount(g.Key, g.Count()))
            .ToListAsync(cancellationToken);
        return [.. groups.OrderBy(g => g.ClientId, StringComparer.Ordinal)];
    }

    /// <summary>The database key of client <paramref name="clientId"/>, which <see cref="CreateAsync"/> takes; null when there is no such client.</summary>
    public async Task<int?> FindClientKeyAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Clients.Where(c => c.ClientId == clientId).Select(c => (int?)c.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Adds a webhook made from a valid <paramref name="model"/> to client <paramref name="clientKey"/>.
    /// <paramref name="robotSecret"/> is a stored robot secret a duplicated webhook keeps unless the model brings a new one.
    /// </summary>
    public async Task<WebhookSave> CreateAsync(int clientKey, WebhookModel model, AuditActor actor, string? robotSecret = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var clientId = await db.Clients.Where(c => c.Id == clientKey).Select(c => c.ClientId).FirstOrDefaultAsync();
        if (clientId is null)
        {
            return new WebhookSave(null, NotFound: true, Error: "The client was deleted meanwhile; the webhook was not created.");
        }

        if (await RefusalAsync(db, clientKey, clientId, model, exceptId: null) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var webhook = new Webhook { ClientKey = clientKey, CreatedAt = now, UpdatedAt = now, RobotSecret = robotSecret };
        model.ApplyTo(webhook, now);
        secrets.Seal(webhook);
        db.Webhooks.Add(webhook);
        Audit(db, actor, now, "webhook.created", webhook.Name, clientId, new CodedMessage(MessageCodes.AuditWebhookCreated, MessageArg.OfTerm(webhook.Target.Label()), webhook.Method,
            MessageArg.OfList(UserActions.All.Where(a => webhook.Actions.HasFlag(a)).Select(a => MessageArg.OfTerm(a.Label())))));
        AuditSecrets(db, actor, now, webhook.Name, clientId, WebhookSecrets.Of(new Webhook()), WebhookSecrets.Of(webhook));
        return await SaveAsync(db, webhook, clientId, clientKey);
    }

    /// <summary>
    /// Saves a valid <paramref name="model"/> over webhook <paramref name="webhookId"/>, counting up <see cref="Webhook.Version"/>;
    /// refused (<see cref="WebhookSave.Stale"/>, nothing saved) when <see cref="WebhookModel.Version"/> is set and someone
    /// changed the webhook since, also when that change lands between this read and the write.
    /// </summary>
    public async Task<WebhookSave> UpdateAsync(int webhookId, WebhookModel model, AuditActor actor)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var webhook = await db.Webhooks.Include(w => w.Client).FirstOrDefaultAsync(w => w.Id == webhookId);
        if (webhook is null)
        {
            return new WebhookSave(null, NotFound: true, Error: "The webhook was deleted meanwhile.");
        }

        if (model.Version is { } loaded && loaded != webhook.Version)
        {
            // Saving every field of a stale form would silently undo the other change.
            return new WebhookSave(null, Error: StaleMessage, Stale: true);
        }

        var clientId = webhook.Client!.ClientId;
        if (await RefusalAsync(db, webhook.ClientKey, clientId, model, exceptId: webhook.Id) is { } refused)
        {
            return refused;
        }

        var secretsBefore = WebhookSecrets.Of(webhook);
        webhook.Version++;
        webhook.UpdatedAt = time.GetUtcNow().UtcDateTime;
        model.ApplyTo(webhook, webhook.UpdatedAt);
        secrets.Seal(webhook);
        var changed = db.Entry(webhook).Properties.Where(p => p.IsModified && p.Metadata.Name is not (nameof(Webhook.UpdatedAt) or nameof(Webhook.Version)
                or nameof(Webhook.SigningSecret) or nameof(Webhook.PreviousSigningSecret) or nameof(Webhook.PreviousSigningSecretExpiresAt) or nameof(Webhook.RobotSecret)))
            .Select(p => p.Metadata.Name).ToList();
        if (changed.Count > 0)
        {
            Audit(db, actor, webhook.UpdatedAt, "webhook.updated", webhook.Name, clientId, AuditText.Changed("webhook", changed));
        }

        AuditSecrets(db, actor, webhook.UpdatedAt, webhook.Name, clientId, secretsBefore, WebhookSecrets.Of(webhook));
        return await SaveAsync(db, webhook, clientId, webhook.ClientKey);
    }

    private async Task<WebhookSave> SaveAsync(PortalDbContext db, Webhook webhook, string clientId, int clientKey)
    {
        try
        {
            await db.SaveChangesAsync();
            return new WebhookSave(webhook);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The version token: someone saved the webhook (or deleted it) between the read and this write.
            return new WebhookSave(null, Error: StaleMessage, Stale: true);
        }
        catch (DbUpdateException)
        {
            // Another request saved this name in the client between the check and the write: the unique index caught it.
            await using var fresh = await dbFactory.CreateDbContextAsync();
            if (await fresh.Webhooks.AnyAsync(w => w.ClientKey == clientKey && w.Name == webhook.Name && w.Id != webhook.Id))
            {
                return new WebhookSave(null, Error: NameTakenMessage(clientId, webhook.Name), Field: "name");
            }

            throw;
        }
    }

    /// <summary>
    /// Enables or disables webhook <paramref name="webhookId"/> (clearing a system reason); false when it does not exist. A
    /// webhook already in that state is left as it is — no audit entry, the same UpdatedAt, an automatic disable keeps its reason.
    /// </summary>
    public async Task<bool> SetEnabledAsync(int webhookId, bool enabled, AuditActor actor)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var webhook = await db.Webhooks.AsNoTracking().Where(w => w.Id == webhookId).Select(w => new { w.Name, w.Client!.ClientId }).FirstOrDefaultAsync();
        if (webhook is null)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        // The state is part of the condition, so two administrators switching at once record one change, not two.
        var changed = await db.Webhooks.Where(w => w.Id == webhookId && w.Enabled != enabled).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.Enabled, enabled)
            .SetProperty(w => w.DisabledReason, (string?)null)
            .SetProperty(w => w.UpdatedAt, now)
            .SetProperty(w => w.Version, w => w.Version + 1));
        if (changed > 0)
        {
            Audit(db, actor, now, enabled ? "webhook.enabled" : "webhook.disabled", webhook.Name, webhook.ClientId, null);
            await db.SaveChangesAsync();
            // The layout's auto-disabled notice listens to the feed.
            feed.Publish();
            return true;
        }

        // Nothing changed: it had that state already, or was deleted since it was read.
        return await db.Webhooks.AnyAsync(w => w.Id == webhookId);
    }

    /// <summary>
    /// Deletes webhook <paramref name="webhookId"/>, cancelling its pending deliveries (the history stays); false when it does
    /// not exist, or when <paramref name="version"/> is given and is no longer its <see cref="Webhook.Version"/>.
    /// </summary>
    public async Task<bool> DeleteAsync(int webhookId, AuditActor actor, int? version = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var webhook = await db.Webhooks.AsNoTracking().Where(w => w.Id == webhookId).Select(w => new { w.Name, w.Client!.ClientId, w.Version }).FirstOrDefaultAsync();
        if (webhook is null || (version is not null && version != webhook.Version))
        {
            return false;
        }

        await db.Deliveries.CancelPendingAsync(d => d.WebhookId == webhookId, time);
        var deleted = await db.Webhooks.Where(w => w.Id == webhookId).ExecuteDeleteAsync() > 0;
        if (deleted)
        {
            Audit(db, actor, time.GetUtcNow().UtcDateTime, "webhook.deleted", webhook.Name, webhook.ClientId, null);
            await db.SaveChangesAsync();
        }

        await transaction.CommitAsync();
        return deleted;
    }

    /// <summary>
    /// Gives webhook <paramref name="webhookId"/> a new signing secret; the old one keeps signing for
    /// <see cref="WebhookModel.SigningSecretOverlap"/>. Returns the new secret (its only appearance in clear), or null when the webhook does not exist.
    /// </summary>
    public async Task<string?> RotateSigningSecretAsync(int webhookId, AuditActor actor)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RotateOnceAsync(webhookId, actor);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Someone saved the webhook between the read and the write (the version token); rotate on what they saved.
            }
        }
    }

    private async Task<string?> RotateOnceAsync(int webhookId, AuditActor actor)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var webhook = await db.Webhooks.Include(w => w.Client).FirstOrDefaultAsync(w => w.Id == webhookId);
        if (webhook is null)
        {
            return null;
        }

        var secret = StandardWebhooks.GenerateSecret();
        var before = WebhookSecrets.Of(webhook);
        var now = time.GetUtcNow().UtcDateTime;
        var model = WebhookModel.From(webhook);
        model.NewSigningSecret = secret;
        model.ApplyTo(webhook, now);
        webhook.UpdatedAt = now;
        webhook.Version++;
        secrets.Seal(webhook);
        AuditSecrets(db, actor, now, webhook.Name, webhook.Client!.ClientId, before, WebhookSecrets.Of(webhook));
        await db.SaveChangesAsync();
        return secret;
    }

    /// <summary>The message for an edit refused because someone changed the webhook after it was opened (<see cref="WebhookSave.Stale"/>).</summary>
    public static string StaleMessage => UiText.Get("Someone else changed this webhook since you opened it. Reload to see their changes; your edits are kept in the form.");

    /// <summary>The message for a name already used in client <paramref name="clientId"/>.</summary>
    public static string NameTakenMessage(string clientId, string name) => UiText.Format("Client {0} already has a webhook named {1}.", clientId, name.Trim());

    private async Task<WebhookSave?> RefusalAsync(PortalDbContext db, int clientKey, string clientId, WebhookModel model, int? exceptId)
    {
        // Two webhooks of one name in a client would be indistinguishable in the delivery log.
        var name = model.Name.Trim();
        if (await db.Webhooks.AnyAsync(w => w.ClientKey == clientKey && w.Name == name && w.Id != exceptId))
        {
            return new WebhookSave(null, Error: NameTakenMessage(clientId, name), Field: "name");
        }

        return await WhyRefusedAsync(model.Url, clientId) is { } refused ? new WebhookSave(null, Error: refused, Field: "url") : null;
    }

    // The host has no variables (the validator refuses them there), so any sample renders the host that will be called.
    private async Task<string?> WhyRefusedAsync(string urlTemplate, string clientId)
    {
        var url = TemplateRenderer.RenderUrl(urlTemplate.Trim(), TemplateValues.For(TemplateSamples.Friendly(UserAction.Created), clientId, "check"));
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) ? await network.WhyRefusedAsync(uri, TimeSpan.FromSeconds(3)) : null;
    }

    private static void Audit(PortalDbContext db, AuditActor actor, DateTime at, string action, string webhookName, string clientId, CodedMessage? details)
    {
        if (details is null)
        {
            AuditTrail.Add(db, actor, at, action, $"webhook {webhookName} (client {clientId})");
        }
        else
        {
            AuditTrail.Add(db, actor, at, action, $"webhook {webhookName} (client {clientId})", details);
        }
    }

    // Only that a secret changed is recorded, never its value.
    private static void AuditSecrets(PortalDbContext db, AuditActor actor, DateTime at, string webhookName, string clientId, WebhookSecrets before, WebhookSecrets after)
    {
        if (before.Describe(after) is { } what)
        {
            Audit(db, actor, at, "webhook.secret_changed", webhookName, clientId, what);
        }
    }
}
