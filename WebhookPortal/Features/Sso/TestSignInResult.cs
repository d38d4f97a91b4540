namespace WebhookPortal.Features.Sso;

/// <summary>
/// What a test sign-in (<c>TestSignInPage.razor.js</c>) brought back: the ID token's payload and the userinfo answer
/// (JSON text, with its HTTP status), or the error the flow ended with (an OAuth <c>error</c> code such as
/// <c>access_denied</c>, or the name of a browser-side failure, and its description).
/// </summary>
public sealed record TestSignInResult(string? IdTokenClaims, string? UserInfo, int UserInfoStatus, string? Error, string? ErrorDescription);
