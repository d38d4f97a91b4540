using Microsoft.AspNetCore.Identity;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;

namespace WebhookPortal.Features.Users;

/// <summary>
/// The administrator's user operations for pages and API. Each call runs in its own DI scope, so it gets a fresh
/// <see cref="PortalDbContext"/> and <see cref="PortalUserManager"/> (a Blazor circuit lives far longer than a unit of work)
/// and every change fires its webhooks through the user manager. Failures come back as <see cref="IdentityResult"/> errors.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes)
{
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
        if (model.ConcurrencyStamp is not null && model.ConcurrencyStamp != user.ConcurrencyStamp)
        {
            // Saving every field of a stale form would silently undo the other change.
            return IdentityResult.Failed(new IdentityError
            {
                Code = nameof(IdentityErrorDescriber.ConcurrencyFailure),
                Description = "Someone changed this user after you opened it; close the dialog and open it again.",
            });
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

    /// <summary>Deletes user <paramref name="id"/>; <see cref="PortalUserManager"/> refuses the last enabled administrator.</summary>
    public Task<IdentityResult> DeleteAsync(string id, AuditActor actor) => WithUserAsync(id, actor, (users, user) => users.DeleteAsync(user));

    /// <summary>Enables or disables user <paramref name="id"/>; <see cref="PortalUserManager"/> refuses to disable the last enabled administrator.</summary>
    public Task<IdentityResult> SetEnabledAsync(string id, bool enabled, AuditActor actor) =>
        WithUserAsync(id, actor, (users, user) => users.SetEnabledAsync(user, enabled));

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

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
