using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Users;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Features.Sso;

/// <summary>
/// The parts of the OpenID Connect endpoints OpenIddict leaves to the application: who the user is (the portal's session is
/// the single sign-on session), what a token says about them, and the Login/Logout events a sign-in through a client fires.
/// OpenIddict has validated the request (client, redirect URI, PKCE, scopes) before any of these run.
/// </summary>
internal static class SsoEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/" + SsoExtensions.AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).ExcludeFromDescription();
        app.MapPost("/" + SsoExtensions.TokenPath, TokenAsync).ExcludeFromDescription();
        app.MapMethods("/" + SsoExtensions.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).ExcludeFromDescription();
        app.MapMethods("/" + SsoExtensions.EndSessionPath, [HttpMethods.Get, HttpMethods.Post], EndSessionAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, PortalSignInManager signIn, TimeProvider time)
    {
        if (ErrorPage(http) is { } error)
        {
            return error;
        }

        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OpenID Connect request.");
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var expired = request.MaxAge is { } maxAge && session.Properties?.IssuedUtc is { } issued
            && time.GetUtcNow() - issued > TimeSpan.FromSeconds(maxAge);
        if (!session.Succeeded || request.HasPromptValue(PromptValues.Login) || expired)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back here after signing in, without prompt=login, or the sign-in page would be shown for ever.
            var parameters = (http.Request.HasFormContentType ? http.Request.Form.AsEnumerable() : http.Request.Query.AsEnumerable())
                .Where(p => p.Key != Parameters.Prompt).ToList();
            var prompt = string.Join(' ', request.GetPromptValues().Remove(PromptValues.Login));
            if (prompt.Length > 0)
            {
                parameters.Add(new(Parameters.Prompt, new StringValues(prompt)));
            }

            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters) },
                [IdentityConstants.ApplicationScheme]);
        }

        var user = await signIn.UserManager.GetUserAsync(session.Principal!);
        if (user is null || !user.Enabled)
        {
            return request.HasPromptValue(PromptValues.None)
                ? Refuse(Errors.LoginRequired, "The user is not signed in.")
                : Refuse(Errors.AccessDenied, "The account is disabled.");
        }

        var identity = SsoClaims.For(user, request.GetScopes());
        await signIn.NotifyAsync(UserAction.LoggedIn, user, request.ClientId);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext http, PortalUserManager users)
    {
        // Only the code and refresh token grants are enabled: OpenIddict refuses any other before this runs.
        // The principal stored in the code or refresh token; checked against the user as stored now.
        var principal = (await http.AuthenticateAsync(Scheme)).Principal;
        var user = principal?.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (principal is null || user is null || !user.Enabled || !SsoClaims.StampMatches(principal, user))
        {
            return Refuse(Errors.InvalidGrant, "The sign-in is no longer valid: the user was deleted or disabled, or changed their password.");
        }

        var identity = new ClaimsIdentity(principal.Claims, authenticationType: principal.Identity?.AuthenticationType,
            nameType: Claims.Name, roleType: Claims.Role);
        return Results.SignIn(new ClaimsPrincipal(SsoClaims.Describe(identity, user)), authenticationScheme: Scheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http, PortalUserManager users)
    {
        var principal = (await http.AuthenticateAsync(Scheme)).Principal;
        var user = principal?.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (principal is null || user is null || !user.Enabled)
        {
            return Results.Challenge(Properties(Errors.InvalidToken, "The user of this access token no longer exists or is disabled."), [Scheme]);
        }

        return Results.Ok(SsoClaims.UserInfo(principal, user));
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http, PortalSignInManager signIn)
    {
        if (ErrorPage(http) is { } error)
        {
            return error;
        }

        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OpenID Connect request.");
        // The id_token_hint, validated by OpenIddict: it names the client (its audience) and the user.
        var hint = (await http.AuthenticateAsync(Scheme)).Principal is { } principal && principal.GetClaim(Claims.Subject) is not null
            ? principal
            : null;
        if (hint is not null && http.User.Identity?.IsAuthenticated == true
            && !string.Equals(hint.GetClaim(Claims.Subject), signIn.UserManager.GetUserId(http.User), StringComparison.Ordinal))
        {
            // Another user's ID token (anyone can get their own) says nothing about this session: it counts as no hint.
            hint = null;
        }

        var clientId = request.ClientId ?? hint?.GetAudiences().FirstOrDefault();
        if (hint is null && http.User.Identity?.IsAuthenticated == true
            && (HttpMethods.IsGet(http.Request.Method) || !SameOriginRule.IsSameOrigin(http.Request)))
        {
            // Without a hint anyone could link here, or post a form from another origin of the same site (which carries the
            // SameSite=Lax cookie), to sign a user out: ask first (the form posts the same request back, from this origin).
            var parameters = http.Request.HasFormContentType ? http.Request.Form.AsEnumerable() : http.Request.Query.AsEnumerable();
            return new RazorComponentResult<EndSessionConfirmPage>(new Dictionary<string, object?>
            {
                [nameof(EndSessionConfirmPage.Parameters)] = parameters.ToDictionary(p => p.Key, p => p.Value.ToString()),
            });
        }

        if (http.User.Identity?.IsAuthenticated == true)
        {
            await signIn.SignOutAsync(clientId);
        }
        else if (hint?.GetClaim(Claims.Subject) is { } userId && clientId is not null
            && await signIn.UserManager.FindByIdAsync(userId) is { } user)
        {
            // The portal session already ended (signed out elsewhere); the docked system's own sign-out still happened.
            await signIn.NotifyAsync(UserAction.LoggedOut, user, clientId);
        }

        // OpenIddict redirects to the validated post_logout_redirect_uri, or here when there is none.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/sso/signed-out" }, [Scheme]);
    }

    /// <summary>An authorization or end-session error OpenIddict cannot send back to the client (unknown client, unregistered URI).</summary>
    private static IResult? ErrorPage(HttpContext http) => http.GetOpenIddictServerResponse() is { Error: { } error } response
        ? Results.Redirect("/sso/error" + QueryString.Create([
            new KeyValuePair<string, string?>("error", error),
            new KeyValuePair<string, string?>("error_description", response.ErrorDescription)]))
        : null;

    private static IResult Refuse(string error, string description) => Results.Forbid(Properties(error, description), [Scheme]);

    private static AuthenticationProperties Properties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
