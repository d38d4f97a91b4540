using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Features.Users;

/// <summary>
/// Identity's user manager, firing <see cref="UserAction.Created"/>, <see cref="UserAction.Updated"/> and
/// <see cref="UserAction.Deleted"/> in the same database transaction as the change (the outbox; see docs/architecture.md). Every path that changes
/// a user (pages, API, self-service, password reset) goes through <see cref="UserManager{TUser}.UpdateUserAsync"/>,
/// which is where updates are caught.
/// </summary>
public sealed class PortalUserManager(
    IUserStore<PortalUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<PortalUser> passwordHasher,
    IEnumerable<IUserValidator<PortalUser>> userValidators,
    IEnumerable<IPasswordValidator<PortalUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<PortalUser>> logger,
    PortalDbContext db,
    IUserEventNotifier notifier,
    TimeProvider time,
    PasswordHashingGate hashing,
    CurrentActor? currentActor = null,
    IOpenIddictAuthorizationManager? ssoAuthorizations = null,
    IOpenIddictTokenManager? ssoTokens = null)
    : UserManager<PortalUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    // Set while Identity rewrites a password hash during sign-in: bookkeeping, not a change anyone made.
    private bool rehashingOnSignIn;

    /// <inheritdoc />
    public override Task<IdentityResult> CreateAsync(PortalUser user)
    {
        if (user.CreatedAt == default)
        {
            user.CreatedAt = time.GetUtcNow().UtcDateTime;
        }

        return InTransactionAsync(
            () => base.CreateAsync(user),
            () => Event(UserAction.Created, UserSnapshot.Of(user), []));
    }

    /// <summary>
    /// As Identity's: validates and hashes <paramref name="password"/>, then creates the user. Identity's own version hashes
    /// through a private path, so this one calls <see cref="UpdatePasswordHash"/>, which takes <see cref="PasswordHashingGate"/>.
    /// </summary>
    public override async Task<IdentityResult> CreateAsync(PortalUser user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        var hashed = await UpdatePasswordHash(user, password, validatePassword: true);
        return hashed.Succeeded ? await CreateAsync(user) : hashed;
    }

    /// <inheritdoc />
    public override async Task<IdentityResult> DeleteAsync(PortalUser user)
    {
        var before = await LoadSnapshotAsync(user.Id) ?? new Stored(UserSnapshot.Of(user), user.PasswordHash);
        return await InTransactionAsync(
            async () => before.Snapshot.Enabled && await IsLastAdministratorAsync(user)
                ? LastAdministrator("deleted")
                : await base.DeleteAsync(user),
            () => Event(UserAction.Deleted, before.Snapshot, []));
    }

    /// <summary>Enables or disables <paramref name="user"/>; disabling also renews the security stamp so open sessions end.</summary>
    public Task<IdentityResult> SetEnabledAsync(PortalUser user, bool enabled)
    {
        // Asking for the state the user already has writes nothing: a new security stamp would end their sessions at the
        // next check, and an Updated event would report no change.
        if (user.Enabled == enabled)
        {
            return Task.FromResult(IdentityResult.Success);
        }

        user.Enabled = enabled;
        return UpdateSecurityStampAsync(user);
    }

    /// <summary>
    /// Gives <paramref name="user"/> exactly <paramref name="role"/> (dropping the other portal role), with one audit entry
    /// per role granted or taken (<c>user.made_administrator</c>, <c>user.administrator_revoked</c>, <c>user.made_auditor</c>,
    /// <c>user.auditor_revoked</c>), all in one transaction. Refused with code <c>LastAdministrator</c> when it would take
    /// the role from the last enabled administrator. Fewer rights renew the security stamp, so open sessions (cookie and
    /// circuit) end within a minute instead of keeping the old rights; more rights reach a session at its next check.
    /// Asking for the role the user has writes nothing. Fires no webhook: a role is none of the user fields they carry.
    /// </summary>
    public async Task<IdentityResult> SetRoleAsync(PortalUser user, PortalRole role)
    {
        ArgumentNullException.ThrowIfNull(user);
        var outer = db.Database.CurrentTransaction;
        await using var transaction = outer is null ? await db.Database.BeginTransactionAsync(CancellationToken) : null;
        // Read inside the write transaction, as the last-administrator check is, so two changes cannot both pass it.
        var names = await GetRolesAsync(user);
        var before = PortalRoles.Of(names);
        var target = PortalRoles.Name(role);
        // Every portal role but the one asked for goes, so a user given both by hand ends with exactly one.
        var removing = PortalRoles.All.Where(name => names.Contains(name) && name != target).ToList();
        var adding = target is not null && !names.Contains(target);
        if (removing.Count == 0 && !adding)
        {
            return IdentityResult.Success;
        }

        if (removing.Contains(PortalRoles.Administrator) && user.Enabled && await IsLastAdministratorAsync(user))
        {
            return LastAdministrator("removed from the administrator role");
        }

        var actor = currentActor is null ? AuditActor.System : await currentActor.GetAsync();
        var at = time.GetUtcNow().UtcDateTime;
        foreach (var name in removing)
        {
            var result = await RemoveFromRoleAsync(user, name);
            if (!result.Succeeded)
            {
                return result;
            }

            var administrator = name == PortalRoles.Administrator;
            AuditTrail.Add(db, actor, at, administrator ? "user.administrator_revoked" : "user.auditor_revoked", "user " + user.UserName,
                new CodedMessage(administrator ? MessageCodes.AuditAdministratorRevoked : MessageCodes.AuditAuditorRevoked));
        }

        if (adding)
        {
            var result = await AddToRoleAsync(user, target!);
            if (!result.Succeeded)
            {
                return result;
            }

            AuditTrail.Add(db, actor, at, role == PortalRole.Administrator ? "user.made_administrator" : "user.made_auditor", "user " + user.UserName,
                new CodedMessage(role == PortalRole.Administrator ? MessageCodes.AuditAdministratorGranted : MessageCodes.AuditAuditorGranted));
        }

        if (role < before)
        {
            var renewed = await UpdateSecurityStampAsync(user);
            if (!renewed.Succeeded)
            {
                return renewed;
            }
        }

        await db.SaveChangesAsync(CancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(CancellationToken);
        }

        return IdentityResult.Success;
    }

    /// <summary>
    /// Whether <paramref name="user"/> is the last enabled administrator, whom nothing may delete, disable or demote. For
    /// pages to say so before the click; each change checks again inside its own transaction.
    /// </summary>
    public async Task<bool> IsLastEnabledAdministratorAsync(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Enabled && await IsLastAdministratorAsync(user);
    }

    /// <summary>The portal role <paramref name="user"/> has now.</summary>
    public async Task<PortalRole> GetPortalRoleAsync(PortalUser user) => PortalRoles.Of(await GetRolesAsync(user));

    /// <inheritdoc />
    public override async Task<bool> CheckPasswordAsync(PortalUser user, string password)
    {
        rehashingOnSignIn = true;
        try
        {
            return await base.CheckPasswordAsync(user, password);
        }
        finally
        {
            rehashingOnSignIn = false;
        }
    }

    /// <summary>Identity's, through <see cref="PasswordHashingGate"/>: creating a user and resetting a password hash here.</summary>
    protected override Task<IdentityResult> UpdatePasswordHash(PortalUser user, string newPassword, bool validatePassword) =>
        hashing.RunAsync(() => base.UpdatePasswordHash(user, newPassword, validatePassword), CancellationToken);

    /// <summary>Identity's, through <see cref="PasswordHashingGate"/>: every password check (sign-in included) hashes here.</summary>
    protected override Task<PasswordVerificationResult> VerifyPasswordAsync(IUserPasswordStore<PortalUser> store, PortalUser user, string password) =>
        hashing.RunAsync(() => base.VerifyPasswordAsync(store, user, password), CancellationToken);

    /// <inheritdoc />
    protected override async Task<IdentityResult> UpdateUserAsync(PortalUser user)
    {
        var before = rehashingOnSignIn ? null : await LoadSnapshotAsync(user.Id);
        if (before is null)
        {
            return await base.UpdateUserAsync(user);
        }

        string[] changed = [];
        return await InTransactionAsync(
            async () =>
            {
                if (before.Snapshot.Enabled && !user.Enabled && await IsLastAdministratorAsync(user))
                {
                    return LastAdministrator("disabled");
                }

                changed = ChangedFields(before, user);
                return await base.UpdateUserAsync(user);
            },
            () => changed.Length == 0 ? null : Event(UserAction.Updated, UserSnapshot.Of(user), changed));
    }

    /// <summary>The PostgreSQL advisory lock key of the last-administrator check (a fixed number no other lock uses).</summary>
    private const long LastAdministratorLock = 0x5765_6268_6F6F_6B41; // "WebhookA"

    // Checked inside the write transaction (SQLite's BEGIN IMMEDIATE), so two administrators cannot remove each other at once.
    // PostgreSQL lets writers run side by side, so there the check first takes a lock held until the transaction ends: the
    // second of two removals waits, then sees the first. Without an enabled administrator nobody could sign in to repair the portal.
    private async Task<bool> IsLastAdministratorAsync(PortalUser user)
    {
        if (db.Database.IsPostgreSql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LastAdministratorLock})", CancellationToken);
        }

        var adminRoleId = await db.Roles.Where(r => r.Name == AdminOptions.Role).Select(r => r.Id).FirstOrDefaultAsync(CancellationToken);
        if (adminRoleId is null || !await db.UserRoles.AnyAsync(r => r.RoleId == adminRoleId && r.UserId == user.Id, CancellationToken))
        {
            return false;
        }

        return !await db.Users.AnyAsync(
            u => u.Id != user.Id && u.Enabled && db.UserRoles.Any(r => r.RoleId == adminRoleId && r.UserId == u.Id), CancellationToken);
    }

    private static IdentityResult LastAdministrator(string verb) => IdentityResult.Failed(new IdentityError
    {
        Code = "LastAdministrator",
        Description = $"The last enabled administrator cannot be {verb}.",
    });

    private static string[] ChangedFields(Stored before, PortalUser after)
    {
        var b = before.Snapshot;
        var changed = new List<string>();
        if (b.UserName != (after.UserName ?? "")) changed.Add("Name");
        if (b.Email != (after.Email ?? "")) changed.Add("Email");
        if (b.FirstName != after.FirstName) changed.Add("FirstName");
        if (b.LastName != after.LastName) changed.Add("LastName");
        if (b.Phone != (after.PhoneNumber ?? "")) changed.Add("Phone");
        if (b.Enabled != after.Enabled) changed.Add("Enabled");
        if (before.PasswordHash != after.PasswordHash) changed.Add("Password");
        return [.. changed];
    }

    private UserEvent Event(UserAction action, UserSnapshot user, IReadOnlyList<string> changed) =>
        new(Guid.CreateVersion7(), action, user, time.GetUtcNow().UtcDateTime, null, changed);

    private async Task<Stored?> LoadSnapshotAsync(string id)
    {
        var row = await db.Users.AsNoTracking().Where(u => u.Id == id).FirstOrDefaultAsync(CancellationToken);
        return row is null ? null : new Stored(UserSnapshot.Of(row), row.PasswordHash);
    }

    /// <summary>
    /// Runs the Identity operation and, if it succeeds, records the audit entry and the event's deliveries, all in one transaction;
    /// any failure rolls both back. Joins a transaction the caller already opened.
    /// </summary>
    private async Task<IdentityResult> InTransactionAsync(Func<Task<IdentityResult>> operation, Func<UserEvent?> userEvent)
    {
        var outer = db.Database.CurrentTransaction;
        await using var transaction = outer is null ? await db.Database.BeginTransactionAsync(CancellationToken) : null;
        var result = await operation();
        if (!result.Succeeded)
        {
            return result;
        }

        var added = 0;
        if (userEvent() is { } e)
        {
            // The audit entry commits with the change: no change without its "who", no "who" for a change rolled back.
            var actor = currentActor is null ? AuditActor.System : await currentActor.GetAsync();
            if (e.ChangedFields.Count > 0)
            {
                AuditTrail.Add(db, actor, e.OccurredAt, e.Action.EventType(), "user " + e.User.UserName, AuditText.Changed("user", e.ChangedFields));
            }
            else
            {
                AuditTrail.Add(db, actor, e.OccurredAt, e.Action.EventType(), "user " + e.User.UserName);
            }
            await db.SaveChangesAsync(CancellationToken);
            added = await notifier.NotifyAsync(e, CancellationToken);
            if (EndsSingleSignOn(e))
            {
                await RevokeSingleSignOnAsync(e.User.Id);
            }
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(CancellationToken);
            if (added > 0)
            {
                notifier.Wake();
            }
        }

        return result;
    }

    // A deleted or disabled user, or a new password, ends what docked systems hold: refresh tokens stop working and
    // introspection reports the access tokens inactive, at once rather than when they expire.
    private static bool EndsSingleSignOn(UserEvent e) =>
        e.Action == UserAction.Deleted
        || (e.Action == UserAction.Updated && (e.ChangedFields.Contains("Password") || (e.ChangedFields.Contains("Enabled") && !e.User.Enabled)));

    private async Task RevokeSingleSignOnAsync(string userId)
    {
        // Null only where the single sign-on provider is not registered (component tests). OpenIddict's stores use this
        // scope's context, so the revocation commits with the change or not at all.
        if (ssoAuthorizations is not null)
        {
            await ssoAuthorizations.RevokeBySubjectAsync(userId, CancellationToken);
        }

        if (ssoTokens is not null)
        {
            await ssoTokens.RevokeBySubjectAsync(userId, CancellationToken);
        }
    }

    private sealed record Stored(UserSnapshot Snapshot, string? PasswordHash);
}
