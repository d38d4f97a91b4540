using Microsoft.AspNetCore.Identity;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Users;

/// <summary>
/// Refuses a user name with a character <see cref="UserModel.IsUserNameCharacter"/> does not allow (Identity's
/// <c>InvalidUserName</c>, worded by <see cref="PortalIdentityErrorDescriber"/>), for every way a user is saved: the Users
/// page, the API, registration and the account pages. Runs beside Identity's own validator, which still checks that the
/// name is given and not taken.
/// </summary>
public sealed class PortalUserNameValidator(IdentityErrorDescriber describer) : IUserValidator<PortalUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<PortalUser> manager, PortalUser user)
    {
        var userName = await manager.GetUserNameAsync(user);
        return string.IsNullOrEmpty(userName) || userName.All(UserModel.IsUserNameCharacter)
            ? IdentityResult.Success
            : IdentityResult.Failed(describer.InvalidUserName(userName));
    }
}
