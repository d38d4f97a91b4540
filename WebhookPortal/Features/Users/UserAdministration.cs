using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Common;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Users;

/// <summary>
/// The administrator's user reads and operations for the Users page and the API, so both list, search and refuse alike.
/// Each change runs in its own DI scope, so it gets a fresh <see cref="PortalDbContext"/> and <see cref="PortalUserManager"/>
/// (a Blazor circuit lives far longer than a unit of work) and fires its webhooks through the user manager. Failures come
/// back as <see cref="IdentityResult"/> errors; an administrator acting on their own account gets <see cref="OwnAccountCode"/>.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The <see cref="IdentityError.Code"/> of a refusal to disable or delete the acting administrator's own account.</summary>
    public const string OwnAccountCode = "OwnAccount";

    /// <summary>
    /// One page (0-based) of users ordered by user name, optionally narrowed to those whose user name, email or full name
    /// contains <paramref name="search"/> (trimmed). The full name matches given name first with a space ("Wei Zhang"),
    /// family name first with a space ("Zhang Wei") and family name first without one ("张伟", as Chinese writes it).
    /// Case-insensitive (<see cref="TextSearch"/>).
    /// </summary>
    public async Task<(IReadOnlyList<UserSummary> Items, int Total)> ListAsync(string? search, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = TextSearch.Pattern(search.Trim());
            query = query.Where(u => TextSearch.Matches(u.UserName, pattern)
                || TextSearch.Matches(u.Email, pattern)
                || TextSearch.Matches(u.FirstName + " " + u.LastName, pattern)
                || TextSearch.Matches(u.LastName + " " + u.FirstName, pattern)
                || TextSearch.Matches(u.LastName + u.FirstName, pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await Summaries(db, query.OrderBy(u => u.UserName).Page(page, pageSize)).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>User <paramref name="id"/> as stored now, or null when there is none.</summary>
    public async Task<UserSummary?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Summaries(db, db.Users.AsNoTracking().Where(u => u.Id == id)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>User <paramref name="userName"/> (exact, as Identity stores it) as stored now, or null when there is none.</summary>
    public async Task<UserSummary?> FindByNameAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Summaries(db, db.Users.AsNoTracking().Where(u => u.UserName == userName)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Why <paramref name="actor"/> may not disable user <paramref name="id"/>, or null when they may: nobody disables their
    /// own account, which would end the session they act from. <see cref="SetEnabledAsync"/> and <see cref="UpdateAsync"/>
    /// refuse it too; pages ask first to refuse before confirming.
    /// </summary>
    public static IdentityError? WhyNotDisable(string id, AuditActor actor) =>
        IsOwnAccount(id, actor) ? OwnAccount("You cannot disable your own account.") : null;

    /// <summary>Why <paramref name="actor"/> may not delete user <paramref name="id"/> (their own account), or null when they may.</summary>
    public static IdentityError? WhyNotDelete(string id, AuditActor actor) =>
        IsOwnAccount(id, actor) ? OwnAccount("You cannot delete your own account.") : null;

    /// <summary>
    /// Why <paramref name="actor"/> may not change the role of user <paramref name="id"/>, or null when they may: nobody
    /// changes their own, since an administrator could only take their own rights away. <see cref="SetRoleAsync"/>
    /// refuses it too.
    /// </summary>
    public static IdentityError? WhyNotChangeRole(string id, AuditActor actor) =>
        IsOwnAccount(id, actor) ? OwnAccount("You cannot change your own role.") : null;

    /// <summary>
    /// Gives user <paramref name="id"/> <paramref name="role"/> (<see cref="PortalUserManager.SetRoleAsync"/>): refused for
    /// the actor's own account (<see cref="WhyNotChangeRole"/>) and for the last enabled administrator (code
    /// <c>LastAdministrator</c>); the role the user already has succeeds without writing anything.
    /// </summary>
    public Task<IdentityResult> SetRoleAsync(string id, PortalRole role, AuditActor actor) => WithUserAsync(id, actor, (users, user) =>
        WhyNotChangeRole(id, actor) is { } ownAccount ? Task.FromResult(IdentityResult.Failed(ownAccount))
        : users.SetRoleAsync(user, role));

    /// <summary>Creates a user with a password.</summary>
    public Task<IdentityResult> CreateAsync(UserModel model, AuditActor actor) => WithUsersAsync(actor, async users =>
    {
        var user = new PortalUser
        {
            UserName = model.UserName.Trim(),
            Email = model.Email.Trim(),
            FirstName = model.FirstName.Trim(),
            LastName = model.LastName.Trim(),
            PhoneNumber = NullIfEmpty(model.Phone),
            Enabled = model.Enabled,
            EmailConfirmed = true,
        };
        return await users.CreateAsync(user, model.Password);
    });

    /// <summary>
    /// Changes the shown fields of user <paramref name="id"/> in one update (one Updated event listing every changed field);
    /// refused when <see cref="UserModel.ConcurrencyStamp"/> is set and no longer matches.
    /// </summary>
    public Task<IdentityResult> UpdateAsync(string id, UserModel model, AuditActor actor) => WithUserAsync(id, actor, async (users, user) =>
    {
        if (user.Enabled && !model.Enabled && WhyNotDisable(id, actor) is { } ownAccount)
        {
            return IdentityResult.Failed(ownAccount);
        }

        if (model.ConcurrencyStamp is not null && model.ConcurrencyStamp != user.ConcurrencyStamp)
        {
            // Saving every field of a stale form would silently undo the other change.
            return IdentityResult.Failed(Stale());
        }

        user.UserName = model.UserName.Trim();
        user.Email = model.Email.Trim();
        // An address an administrator typed needs no confirmation mail (and the portal sends none).
        user.EmailConfirmed = true;

        user.FirstName = model.FirstName.Trim();
        user.LastName = model.LastName.Trim();
        user.PhoneNumber = NullIfEmpty(model.Phone);
        if (user.Enabled != model.Enabled)
        {
            // A new security stamp ends the sessions of a user who was just disabled.
            user.Enabled = model.Enabled;
            return await users.UpdateSecurityStampAsync(user);
        }

        return await users.UpdateAsync(user);
    });

    /// <summary>
    /// Deletes user <paramref name="id"/>; refused for the actor's own account (<see cref="WhyNotDelete"/>), and by
    /// <see cref="PortalUserManager"/> for the last enabled administrator; refused as a concurrency failure when
    /// <paramref name="concurrencyStamp"/> is given and is no longer the user's.
    /// </summary>
    public Task<IdentityResult> DeleteAsync(string id, AuditActor actor, string? concurrencyStamp = null) => WithUserAsync(id, actor, (users, user) =>
        WhyNotDelete(id, actor) is { } ownAccount ? Task.FromResult(IdentityResult.Failed(ownAccount))
        : concurrencyStamp is not null && concurrencyStamp != user.ConcurrencyStamp ? Task.FromResult(IdentityResult.Failed(Stale()))
        : users.DeleteAsync(user));

    /// <summary>
    /// Enables or disables user <paramref name="id"/>; disabling is refused for the actor's own account (<see cref="WhyNotDisable"/>),
    /// and by <see cref="PortalUserManager"/> for the last enabled administrator; asking for the state the user already has
    /// succeeds without writing anything (<see cref="PortalUserManager.SetEnabledAsync"/>).
    /// </summary>
    public Task<IdentityResult> SetEnabledAsync(string id, bool enabled, AuditActor actor) => WithUserAsync(id, actor, (users, user) =>
        !enabled && WhyNotDisable(id, actor) is { } ownAccount ? Task.FromResult(IdentityResult.Failed(ownAccount))
        : users.SetEnabledAsync(user, enabled));

    /// <summary>Sets a new password for user <paramref name="id"/> (the password policy applies).</summary>
    public Task<IdentityResult> ResetPasswordAsync(string id, string newPassword, AuditActor actor) => WithUserAsync(id, actor, async (users, user) =>
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return await users.ResetPasswordAsync(user, token, newPassword);
    });

    private Task<IdentityResult> WithUserAsync(string id, AuditActor actor, Func<PortalUserManager, PortalUser, Task<IdentityResult>> action) =>
        WithUsersAsync(actor, async users => await users.FindByIdAsync(id) is { } user
            ? await action(users, user)
            : IdentityResult.Failed(new IdentityError { Code = "NotFound", Description = "The user no longer exists." }));

    private async Task<IdentityResult> WithUsersAsync(AuditActor actor, Func<PortalUserManager, Task<IdentityResult>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetService<CurrentActor>()?.Use(actor);
        return await action(scope.ServiceProvider.GetRequiredService<PortalUserManager>());
    }

    // By id, not name: an administrator who renames themselves is still themselves.
    private static bool IsOwnAccount(string id, AuditActor actor) => actor.UserId is not null && actor.UserId == id;

    private static IdentityError Stale() => new()
    {
        Code = nameof(IdentityErrorDescriber.ConcurrencyFailure),
        Description = UiText.Get("Someone else changed this user since you opened it. Reload to see their changes; your edits are kept in the form."),
    };

    private static IdentityError OwnAccount(string english) => new() { Code = OwnAccountCode, Description = UiText.Get(english) };

    private static IQueryable<UserSummary> Summaries(PortalDbContext db, IQueryable<PortalUser> users)
    {
        var adminRole = db.Roles.Where(r => r.Name == PortalRoles.Administrator).Select(r => r.Id);
        var auditorRole = db.Roles.Where(r => r.Name == PortalRoles.Auditor).Select(r => r.Id);
        return users
            .Select(u => new
            {
                User = u,
                IsAdmin = db.UserRoles.Any(r => r.UserId == u.Id && adminRole.Contains(r.RoleId)),
                IsAuditor = db.UserRoles.Any(r => r.UserId == u.Id && auditorRole.Contains(r.RoleId)),
            })
            .Select(x => new UserSummary(x.User.Id, x.User.UserName ?? "", x.User.Email ?? "", x.User.FirstName, x.User.LastName, x.User.PhoneNumber ?? "",
                x.User.Enabled, x.IsAdmin, x.User.CreatedAt, x.User.ConcurrencyStamp,
                x.IsAdmin ? PortalRole.Administrator : x.IsAuditor ? PortalRole.Auditor : PortalRole.None));
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
