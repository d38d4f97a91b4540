using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Api;

/// <summary>
/// Authenticates <c>Authorization: Bearer wp_…</c> (RFC 6750) against <see cref="ApiTokens"/>: the principal is the token's
/// owner with their current roles, plus the claim <see cref="TokenIdClaim"/>. A disabled owner's token does not work.
/// Challenges and forbids with RFC 9457 problem details instead of redirecting to the sign-in page.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiTokens tokens,
    IServiceScopeFactory scopes)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiToken";

    /// <summary>Claim holding the token's id, so idempotency keys are scoped per token.</summary>
    public const string TokenIdClaim = "wp:api_token";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var token = await tokens.FindValidAsync(presented, Context.RequestAborted);
        if (token is null)
        {
            Logger.LogInformation("API request with an unknown, expired or revoked token from {RemoteAddress}", Context.Connection.RemoteIpAddress);
            return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(token.UserId);
        if (user is null || !user.Enabled)
        {
            return AuthenticateResult.Fail("The token's owner is disabled or gone.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? ""),
            new(TokenIdClaim, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange((await users.GetRolesAsync(user)).Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = BearerToken(Request) is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: UiText.Get("Unauthorized"),
            detail: UiText.Get("Send a valid API token as 'Authorization: Bearer wp_…' (create one on the API tokens page), or sign in.")).ExecuteAsync(Context);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: UiText.Get("Forbidden"),
            detail: UiText.Get("The API is for administrators; auditors may only read (GET).")).ExecuteAsync(Context);

    /// <summary>The bearer token of <paramref name="request"/>, or null when it carries none.</summary>
    public static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;
}
