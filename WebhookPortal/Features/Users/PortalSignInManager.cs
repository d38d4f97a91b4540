using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;

namespace WebhookPortal.Features.Users;

/// <summary>
/// Identity's sign-in manager: sign-in by user name or email, disabled users refused, and
/// <see cref="UserAction.LoggedIn"/> / <see cref="UserAction.LoggedOut"/> fired on every real sign-in and sign-out
/// (password, two-factor, passkey, external), never on a cookie refresh. A sign-in on the way to a docked client (the
/// return URL is an authorization request) fires nothing here: the authorization endpoint fires it, naming the client.
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
        if (!refreshing && !Sso.SsoReturnUrl.IsAuthorizationRequest(Context.Request.Query["ReturnUrl"]))
        {
            await NotifyAsync(UserAction.LoggedIn, user, signInClientId: null);
        }
    }

    /// <inheritdoc />
    public override Task SignOutAsync() => SignOutAsync(signInClientId: null);

    /// <summary>
    /// Ends the portal session (which is also the single sign-on session) and fires <see cref="UserAction.LoggedOut"/> with
    /// <paramref name="signInClientId"/>: the client whose end-session request asked for it, or null for the portal itself.
    /// </summary>
    public async Task SignOutAsync(string? signInClientId)
    {
        var user = Context.User.Identity?.IsAuthenticated == true ? await UserManager.GetUserAsync(Context.User) : null;
        await base.SignOutAsync();
        if (user is not null)
        {
            await NotifyAsync(UserAction.LoggedOut, user, signInClientId);
        }
    }

    /// <summary>
    /// Fires <paramref name="action"/> (<see cref="UserAction.LoggedIn"/> or <see cref="UserAction.LoggedOut"/>) for
    /// <paramref name="user"/> from this request's address, naming <paramref name="signInClientId"/> (null: the portal itself).
    /// </summary>
    public async Task NotifyAsync(UserAction action, PortalUser user, string? signInClientId)
    {
        var address = Context.Connection.RemoteIpAddress;
        var ip = address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        var userEvent = new UserEvent(Guid.CreateVersion7(), action, UserSnapshot.Of(user), time.GetUtcNow().UtcDateTime, ip, [], signInClientId);
        if (await notifier.NotifyAsync(userEvent, CancellationToken.None) > 0)
        {
            notifier.Wake();
        }
    }
}
