using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using WebhookPortal.Data;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Clients;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>
/// The OpenID Connect provider spoken to over HTTP as a docked system and its user's browser would: codes with PKCE,
/// client authentication, refresh tokens, userinfo, and every refusal the protocol owes.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SsoProtocolTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Password = "User-Passw0rd!";

    [Fact]
    public async Task A_confidential_client_gets_a_code_tokens_and_userinfo_that_a_standard_library_validates()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("crm"));
        var user = await CreateUserAsync("Wei", "Zhang");
        using var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();

        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, Password));
        Assert.Equal(attempt.State, redirect["state"]);
        var tokens = (await flow.RedeemAsync(redirect["code"], attempt)).Ok();

        // Discovery and the JWKS through Microsoft.IdentityModel, as ASP.NET Core's OpenID Connect handler reads them.
        using var http = flow.Http();
        var configuration = await new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(http.BaseAddress!, ".well-known/openid-configuration").ToString(), new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = false }).GetConfigurationAsync(CancellationToken.None);
        Assert.Contains("S256", configuration.CodeChallengeMethodsSupported);
        Assert.DoesNotContain("plain", configuration.CodeChallengeMethodsSupported);
        Assert.Equal(["authorization_code", "refresh_token"], configuration.GrantTypesSupported.Order());
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.IdToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = flow.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var claims = validation.Claims;
        Assert.Equal(user.Id, claims["sub"]);
        Assert.Equal(attempt.Nonce, claims["nonce"]);
        Assert.Equal(user.UserName, claims["preferred_username"]);
        Assert.Equal("Wei Zhang", claims["name"]);
        Assert.Equal("Wei", claims["given_name"]);
        Assert.Equal("Zhang", claims["family_name"]);
        Assert.Equal(user.Email, claims["email"]);
        Assert.Equal("+86 138 0000 0000", claims["phone_number"]);
        Assert.DoesNotContain(claims.Keys, k => k.Contains("stamp", StringComparison.OrdinalIgnoreCase));

        var (status, userinfo) = await flow.UserInfoAsync(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(user.Id, userinfo!.Value.GetProperty("sub").GetString());
        Assert.Equal(user.Email, userinfo.Value.GetProperty("email").GetString());
        Assert.True(userinfo.Value.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Wei Zhang", userinfo.Value.GetProperty("name").GetString());

        // Rotating refresh tokens: each use answers a new one.
        var refreshed = (await flow.RefreshAsync(tokens.RefreshToken)).Ok();
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
    }

    [Fact]
    public async Task A_form_post_answer_may_run_its_one_script_and_post_to_the_client()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("formpost"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);

        using var response = await browser.Http.GetAsync(flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("response_mode", "form_post")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"action=\"{flow.RedirectUri}\"", html, StringComparison.Ordinal);
        var directives = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"))
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // The hash of OpenIddict's "document.form.submit();", and nothing else inline.
        Assert.Equal("script-src 'self' 'sha256-j7OoGArf6XW6YY4cAyS3riSSvrJRqpSi1fOF9vQ5SrI='", Assert.Single(directives, d => d.StartsWith("script-src", StringComparison.Ordinal)));
        Assert.Equal("form-action 'self' http://127.0.0.1:9", Assert.Single(directives, d => d.StartsWith("form-action", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Revoked_refresh_tokens_are_refused_and_introspection_reports_tokens()
    {
        using var signedIn = await SignInThroughNewClientAsync("revoke");
        var (flow, user, _, tokens) = signedIn;

        var introspection = await flow.PostAsync("/connect/introspect", ("token", tokens.AccessToken));
        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal(user.Id, introspection.GetProperty("sub").GetString());

        await flow.PostAsync("/connect/revoke", ("token", tokens.RefreshToken), ("token_type_hint", "refresh_token"));

        Assert.Equal("invalid_grant", (await flow.RefreshAsync(tokens.RefreshToken)).Error);
    }

    [Fact]
    public async Task Another_client_can_neither_revoke_nor_introspect_an_access_token()
    {
        using var signedIn = await SignInThroughNewClientAsync("owner");
        var (flow, _, _, tokens) = signedIn;
        var other = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("other"));
        var publicClient = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("spa"), confidential: false);

        var introspection = await other.PostAsync("/connect/introspect", ("token", tokens.AccessToken));
        Assert.False(introspection.TryGetProperty("active", out var active) && active.GetBoolean(), introspection.ToString());
        Assert.False(introspection.TryGetProperty("sub", out _), introspection.ToString());
        await other.PostAsync("/connect/revoke", ("token", tokens.AccessToken));
        // A public client needs no secret: anyone can speak as it.
        using (var http = publicClient.Http())
        {
            using var revoke = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(
                [new("token", tokens.AccessToken), new("client_id", publicClient.ClientId)]));
        }

        Assert.Equal(HttpStatusCode.OK, (await flow.UserInfoAsync(tokens.AccessToken)).Status);
        Assert.True((await flow.PostAsync("/connect/introspect", ("token", tokens.AccessToken))).GetProperty("active").GetBoolean());

        await flow.PostAsync("/connect/revoke", ("token", tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.UserInfoAsync(tokens.AccessToken)).Status);
    }

    [Fact]
    public async Task The_authorization_endpoint_sends_a_visitor_to_the_sign_in_page_naming_the_client()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("named"), displayName: "CRM <b>System</b>");
        using var browser = AccountClient.For(factory);

        using var challenge = await browser.Http.GetAsync(flow.AuthorizeUrl(SsoFlow.Attempt.New()));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        using var page = await browser.Http.GetAsync(challenge.Headers.Location);

        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Sign in to continue to CRM &lt;b&gt;System&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_may_be_sent_in_the_form_body()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("post"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();

        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, Password));

        (await flow.RedeemAsync(redirect["code"], attempt, secretInBody: true)).Ok();
    }

    [Fact]
    public async Task A_wrong_secret_is_invalid_client_and_audited_without_the_secret()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("wrong"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();
        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, Password));

        var answer = await flow.RedeemAsync(redirect["code"], attempt, secretOverride: "cs_not-the-secret");

        // RFC 6749 §5.2: 401 when the client authenticated with the Authorization header.
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("invalid_client", answer.Error);
        await using var db = await factory.CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "sso.client_authentication_failed" && a.Subject == "client " + flow.ClientId);
        Assert.DoesNotContain("cs_not-the-secret", entry.Details ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("cs_not-the-secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/elsewhere")]
    [InlineData("https://evil.example/signin-oidc")]
    [InlineData("http://127.0.0.1:9/signin-oidc#fragment")]
    public async Task An_unregistered_redirect_uri_is_refused_on_the_portal_without_redirecting_there(string redirectUri)
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("redirect"));
        using var browser = AccountClient.For(factory);

        using var response = await browser.Http.GetAsync(flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("redirect_uri", redirectUri)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.False(location.IsAbsoluteUri, $"Sent to {location}");
        Assert.StartsWith("/sso/error?error=invalid_request", location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_client_without_pkce_is_refused()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("spa"), confidential: false);
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);

        await browser.LoginAsync(user.Email!, Password);

        using var response = await browser.Http.GetAsync(
            flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: [("code_challenge", null), ("code_challenge_method", null)]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/sso/error?error=invalid_request", location, StringComparison.Ordinal);
        Assert.Contains("code_challenge", Uri.UnescapeDataString(location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_client_with_pkce_signs_in_without_a_secret()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("spa"), confidential: false);
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();

        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, Password));

        (await flow.RedeemAsync(redirect["code"], attempt)).Ok();
        var wrongVerifier = await flow.RedeemAsync(redirect["code"], SsoFlow.Attempt.New());
        Assert.Equal("invalid_grant", wrongVerifier.Error);
    }

    [Fact]
    public async Task A_replayed_code_is_refused_and_revokes_what_it_issued()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("replay"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();
        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, Password));
        var first = (await flow.RedeemAsync(redirect["code"], attempt)).Ok();

        var replay = await flow.RedeemAsync(redirect["code"], attempt);

        Assert.Equal("invalid_grant", replay.Error);
        Assert.Equal("invalid_grant", (await flow.RefreshAsync(first.RefreshToken)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.UserInfoAsync(first.AccessToken)).Status);
    }

    [Fact]
    public async Task Prompt_none_without_a_session_answers_login_required()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("silent"));
        using var browser = AccountClient.For(factory);

        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));

        Assert.Equal("login_required", redirect["error"]);
    }

    [Fact]
    public async Task A_signed_in_user_gets_a_code_without_the_form_and_prompt_login_shows_it_again()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("session"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);

        var silent = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));
        Assert.True(silent.ContainsKey("code"));

        using var forced = await browser.Http.GetAsync(flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "login")));
        Assert.Equal(HttpStatusCode.Redirect, forced.StatusCode);
        Assert.StartsWith("/Account/Login", forced.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        // After signing in again the request goes on without prompt=login, or the form would come back for ever.
        Assert.DoesNotContain("prompt%3Dlogin", forced.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_user_gets_no_code_and_their_refresh_tokens_end()
    {
        using var signedIn = await SignInThroughNewClientAsync("disabled");
        var (flow, user, browser, tokens) = signedIn;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await users.SetEnabledAsync((await users.FindByIdAsync(user.Id))!, false)).Succeeded);
        }

        Assert.Equal("invalid_grant", (await flow.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.UserInfoAsync(tokens.AccessToken)).Status);
        // Revoked at once, so a docked API that introspects stops accepting the access token before it expires.
        Assert.False((await flow.PostAsync("/connect/introspect", ("token", tokens.AccessToken))).GetProperty("active").GetBoolean());
        // The portal session is still in the cookie (it is re-checked every minute); the authorization endpoint checks now.
        var again = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New()));
        Assert.Equal("access_denied", again["error"]);
        Assert.False(again.ContainsKey("code"));
    }

    [Fact]
    public async Task A_changed_password_ends_refresh_tokens()
    {
        using var signedIn = await SignInThroughNewClientAsync("password");
        var (flow, user, _, tokens) = signedIn;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await users.ChangePasswordAsync((await users.FindByIdAsync(user.Id))!, Password, "Other-Passw0rd!")).Succeeded);
        }

        Assert.Equal("invalid_grant", (await flow.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.False((await flow.PostAsync("/connect/introspect", ("token", tokens.AccessToken))).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_deleted_users_tokens_are_refused()
    {
        using var signedIn = await SignInThroughNewClientAsync("gone");
        var (flow, user, _, tokens) = signedIn;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await users.DeleteAsync((await users.FindByIdAsync(user.Id))!)).Succeeded);
        }

        Assert.Equal("invalid_grant", (await flow.RefreshAsync(tokens.RefreshToken)).Error);
        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.UserInfoAsync(tokens.AccessToken)).Status);
    }

    [Fact]
    public async Task A_deleted_clients_tokens_are_refused()
    {
        using var signedIn = await SignInThroughNewClientAsync("deleted");
        var (flow, _, _, tokens) = signedIn;

        await DeleteClientAsync(flow.ClientId);

        Assert.Equal(HttpStatusCode.Unauthorized, (await flow.UserInfoAsync(tokens.AccessToken)).Status);
        Assert.Equal("invalid_client", (await flow.RefreshAsync(tokens.RefreshToken)).Error);
    }

    [Fact]
    public async Task Unknown_clients_and_the_password_grant_are_refused()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("grants"));
        using var browser = AccountClient.For(factory);

        var password = await flow.TokenAsync(false, null, ("grant_type", "password"), ("username", "admin"), ("password", "x"));
        Assert.Equal("unsupported_grant_type", password.Error);

        var unknown = new SsoFlow(factory, "no-such-client", "cs_x", SsoFlow.DefaultRedirectUri);
        using var response = await browser.Http.GetAsync(unknown.AuthorizeUrl(SsoFlow.Attempt.New()));
        Assert.StartsWith("/sso/error?error=invalid_request", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_offers_only_the_secret_for_client_authentication_and_client_assertions_are_refused()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("assert"));
        using var http = flow.Http();
        using var discovery = JsonDocument.Parse(await http.GetStringAsync(".well-known/openid-configuration"));

        foreach (var name in new[] { "token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported", "introspection_endpoint_auth_methods_supported" })
        {
            Assert.Equal(["client_secret_basic", "client_secret_post"],
                discovery.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()).Order());
        }

        using var assertion = await http.PostAsync("/connect/token", new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"), new("refresh_token", "x"), new("client_id", flow.ClientId),
            new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), new("client_assertion", "eyJhbGciOiJub25lIn0.e30."),
        ]));
        var answer = await assertion.Content.ReadAsStringAsync();
        Assert.False(assertion.IsSuccessStatusCode, answer);
        Assert.DoesNotContain("access_token", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state")]
    [InlineData("client_id")]
    [InlineData("redirect_uri")]
    public async Task A_repeated_authorization_parameter_is_refused_naming_it(string name)
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("repeat"));
        using var browser = AccountClient.For(factory);

        using var response = await browser.Http.GetAsync(flow.AuthorizeUrl(SsoFlow.Attempt.New()) + "&" + name + "=other");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/sso/error?error=invalid_request", location, StringComparison.Ordinal);
        Assert.Contains($"'{name}' parameter must not be repeated", Uri.UnescapeDataString(location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_token_parameter_is_refused_naming_it()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("repeat"));

        var answer = await flow.TokenAsync(false, null, ("grant_type", "refresh_token"), ("refresh_token", "a"), ("refresh_token", "b"));

        Assert.Equal("invalid_request", answer.Error);
        Assert.Contains("'refresh_token' parameter must not be repeated", answer.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connect/token")]
    [InlineData("connect/revoke")]
    [InlineData("connect/introspect")]
    [InlineData("connect/userinfo")]
    [InlineData("connect/authorize")]
    [InlineData("connect/endsession")]
    public async Task A_form_over_the_limits_is_an_invalid_request_not_a_server_error(string path)
    {
        using var browser = AccountClient.For(factory);
        // 2,000 fields, past ASP.NET Core's 1,024; then one 5 MB value, past its 4 MB.
        foreach (var body in new[] { string.Join('&', Enumerable.Range(0, 2000).Select(i => $"k{i}=v")), "grant_type=" + new string('x', 5 << 20) })
        {
            using var content = new StringContent(body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
            using var response = await browser.Http.PostAsync("/" + path, content);

            if (path is "connect/authorize" or "connect/endsession")
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/sso/error?error=invalid_request", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("invalid_request", json.RootElement.GetProperty("error").GetString());
            }
        }
    }

    private async Task DeleteClientAsync(string clientId)
    {
        var admin = factory.Services.GetRequiredService<ClientAdministration>();
        Assert.Equal(ClientChange.Done, await admin.DeleteAsync(clientId, AuditActor.System));
    }

    /// <summary>A new client and user, the user signed in through it and the code redeemed.</summary>
    private async Task<SignedIn> SignInThroughNewClientAsync(string prefix)
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName(prefix));
        var user = await CreateUserAsync();
        var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();
        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, Password));
        return new SignedIn(flow, user, browser, (await flow.RedeemAsync(redirect["code"], attempt)).Ok());
    }

    private sealed record SignedIn(SsoFlow Flow, PortalUser User, AccountClient Browser, SsoFlow.TokenAnswer Tokens) : IDisposable
    {
        public void Dispose() => Browser.Dispose();
    }

    private async Task<PortalUser> CreateUserAsync(string first = "Na", string last = "Li")
    {
        var user = PortalData.NewUser(PortalData.UniqueName("sso"), first, last);
        user.PhoneNumber = "+86 138 0000 0000";
        user.EmailConfirmed = true;
        return await factory.CreateUserAsync(user, Password);
    }
}
