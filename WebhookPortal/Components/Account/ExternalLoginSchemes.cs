using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using WebhookPortal.Data;

namespace WebhookPortal.Components.Account;

/// <summary>The sign-in services a person can use or link on the account pages (Google, Microsoft … when configured).</summary>
public static class ExternalLoginSchemes
{
    /// <summary>
    /// Identity's external schemes that are remote sign-ins. <c>GetExternalAuthenticationSchemesAsync</c> lists every
    /// scheme with a display name, which includes the API's policy scheme ("API token or sign-in cookie"); only a
    /// handler that answers its own callback (<see cref="IAuthenticationRequestHandler"/>, as OAuth and OpenID Connect
    /// handlers do) can sign a person in.
    /// </summary>
    public static async Task<AuthenticationScheme[]> ListAsync(SignInManager<PortalUser> signInManager) =>
        [.. (await signInManager.GetExternalAuthenticationSchemesAsync())
            .Where(scheme => typeof(IAuthenticationRequestHandler).IsAssignableFrom(scheme.HandlerType))];
}
