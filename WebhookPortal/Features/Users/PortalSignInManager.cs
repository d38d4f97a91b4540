using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Users;

/// <summary>
/// Identity's sign-in manager: sign-in by user name or email, disabled users refused, and
/// <see cref="UserAction.LoggedIn"/> / <see cref="UserAction.LoggedOut"/> fired on every real sign-in and sign-out
/// (password, two-factor, passkey, external), never on a cookie refresh.
/// </summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation,
    IUserEventNotifier notifier,
    TimeProvider time)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private bool refreshing;

    /// <summary>Signs in with a password, finding the user by user name first and then by email.</summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName)
            ?? (userName.Contains('@') ? await UserManager.FindByEmailAsync(userName) : null);
        return user is null
            ? SignInResult.Failed
            : await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    /// <summary>A disabled user cannot sign in: Identity then answers <see cref="SignInResult.NotAllowed"/>.</summary>
    public override async Task<bool> CanSignInAsync(PortalUser user) => user.Enabled && await base.CanSignInAsync(user);

    /// <summary>A session of a disabled user is no longer valid, whatever its security stamp says.</summary>
    public override async Task<PortalUser?> ValidateSecurityStampAsync(System.Security.Claims.ClaimsPrincipal? principal) =>
        await base.ValidateSecurityStampAsync(principal) is { Enabled: true } user ? user : null;

    /// <inheritdoc />
    public override async Task RefreshSignInAsync(PortalUser user)
    {
        refreshing = true;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            refreshing = false;
        }
    }

    /// <inheritdoc />
    public override async Task SignInWithClaimsAsync(PortalUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
        if (!refreshing)
        {
            await FireAsync(UserAction.LoggedIn, user);
        }
    }

    /// <inheritdoc />
    public override async Task SignOutAsync()
    {
        var user = Context.User.Identity?.IsAuthenticated == true ? await UserManager.GetUserAsync(Context.User) : null;
        await base.SignOutAsync();
        if (user is not null)
        {
            await FireAsync(UserAction.LoggedOut, user);
        }
    }

    private async Task FireAsync(UserAction action, PortalUser user)
    {
        var address = Context.Connection.RemoteIpAddress;
        var ip = address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        var userEvent = new UserEvent(Guid.CreateVersion7(), action, UserSnapshot.Of(user), time.GetUtcNow().UtcDateTime, ip, []);
        if (await notifier.NotifyAsync(userEvent, CancellationToken.None) > 0)
        {
            notifier.Wake();
        }
    }
}
