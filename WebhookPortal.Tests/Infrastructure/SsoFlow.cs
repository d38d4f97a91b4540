using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using WebhookPortal.Features.Clients;
using Xunit.Sdk;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// Drives the portal's OpenID Connect endpoints as a docked system and its user's browser would: registers an SSO client,
/// sends the browser (an <see cref="AccountClient"/>, which keeps the portal's cookies and never follows redirects) to the
/// authorization endpoint with PKCE, and redeems codes and refresh tokens over plain HTTP.
/// </summary>
public sealed class SsoFlow(PortalFactory factory, string clientId, string? secret, string redirectUri)
{
    /// <summary>A redirect URI on loopback; nothing listens there: the tests read the code from the redirect itself.</summary>
    public const string DefaultRedirectUri = "http://127.0.0.1:9/signin-oidc";

    public const string PostLogoutRedirectUri = "http://127.0.0.1:9/signout-callback-oidc";

    public string ClientId { get; } = clientId;
    public string? Secret { get; } = secret;
    public string RedirectUri { get; } = redirectUri;

    /// <summary>
    /// Registers client <paramref name="clientId"/> (a portal client row, made or reused, linked to its OpenIddict application) with one
    /// redirect URI (<paramref name="redirectUri"/>, else <see cref="DefaultRedirectUri"/>) and one post-logout redirect URI
    /// (<paramref name="postLogoutRedirectUri"/>, else <see cref="PostLogoutRedirectUri"/>); confidential clients get a
    /// random secret. Public clients must use PKCE.
    /// </summary>
    public static async Task<SsoFlow> RegisterAsync(PortalFactory factory, string clientId, bool confidential = true, string displayName = "CRM",
        string? redirectUri = null, string? postLogoutRedirectUri = null)
    {
        redirectUri ??= DefaultRedirectUri;
        // The product's own descriptor (permissions, PKCE for public clients), so the tests dock clients as the portal does.
        var secret = confidential ? ClientApplications.NewSecret() : null;
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = ClientApplications.Descriptor(clientId, displayName, confidential ? ClientType.Confidential : ClientType.Public,
            [redirectUri], [postLogoutRedirectUri ?? PostLogoutRedirectUri], secret);
        var application = await manager.CreateAsync(descriptor);
        // Links the client a test already made for its webhooks, or registers it.
        await using var db = await factory.CreateDbContextAsync();
        var client = await db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId);
        if (client is null)
        {
            client = new Client { ClientId = clientId, Description = "Docked by a test", CreatedAt = DateTime.UtcNow };
            db.Clients.Add(client);
        }

        client.ApplicationId = await manager.GetIdAsync(application);
        await db.SaveChangesAsync();
        return new SsoFlow(factory, clientId, secret, redirectUri);
    }

    /// <summary>One authorization request's PKCE verifier, state and nonce.</summary>
    public sealed record Attempt(string Verifier, string State, string Nonce)
    {
        public string Challenge => Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

        public static Attempt New() => new(
            Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32)),
            Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(16)));
    }

    /// <summary>The authorization request URL (path and query) for <paramref name="attempt"/>; <paramref name="extra"/> adds or replaces parameters.</summary>
    public string AuthorizeUrl(Attempt attempt, string scope = "openid profile email phone offline_access", params (string Name, string? Value)[] extra)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = scope,
            ["state"] = attempt.State,
            ["nonce"] = attempt.Nonce,
            ["code_challenge"] = attempt.Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in extra)
        {
            parameters[name] = value;
        }

        return QueryHelpers.AddQueryString("/connect/authorize", parameters.Where(p => p.Value is not null)!);
    }

    /// <summary>
    /// Sends <paramref name="browser"/> to the authorization endpoint, signing in on the portal's sign-in page when it is
    /// sent there, and returns the parameters of the final redirect to the client's redirect URI.
    /// </summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(AccountClient browser, string url, (string Email, string Password)? signIn = null)
    {
        var location = url;
        for (var hop = 0; hop < 6; hop++)
        {
            using var response = await browser.Http.GetAsync(location);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
            {
                throw new XunitException($"GET {location} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            var next = response.Headers.Location!;
            var absolute = next.IsAbsoluteUri ? next : new Uri(new Uri("http://portal.local"), next);
            if (absolute.AbsolutePath.StartsWith("/Account/Login", StringComparison.Ordinal) && signIn is { } credentials)
            {
                var returnUrl = QueryHelpers.ParseQuery(absolute.Query)["ReturnUrl"].ToString();
                using var login = await browser.PostLoginAsync(credentials.Email, credentials.Password, returnUrl);
                if (login.StatusCode != HttpStatusCode.Redirect)
                {
                    throw new XunitException($"Signing in answered {(int)login.StatusCode}: {AccountClient.ErrorMessage(await login.Content.ReadAsStringAsync())}");
                }

                location = login.Headers.Location!.OriginalString;
                signIn = null;
                continue;
            }

            if (next.IsAbsoluteUri && next.GetLeftPart(UriPartial.Path) == RedirectUri)
            {
                return QueryHelpers.ParseQuery(next.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
            }

            if (next.IsAbsoluteUri && !string.Equals(next.Host, browser.Http.BaseAddress?.Host, StringComparison.OrdinalIgnoreCase))
            {
                throw new XunitException($"Redirected off the portal to {next}.");
            }

            location = next.IsAbsoluteUri ? next.PathAndQuery : next.OriginalString;
        }

        throw new XunitException($"No redirect to {RedirectUri} after 6 hops from {url}.");
    }

    /// <summary>Redeems <paramref name="code"/>, authenticating with the secret in the Basic header unless <paramref name="secretInBody"/>.</summary>
    public Task<TokenAnswer> RedeemAsync(string code, Attempt attempt, bool secretInBody = false, string? secretOverride = null) =>
        TokenAsync(secretInBody, secretOverride, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri),
            ("code_verifier", attempt.Verifier));

    /// <summary>Uses <paramref name="refreshToken"/> for new tokens.</summary>
    public Task<TokenAnswer> RefreshAsync(string refreshToken) =>
        TokenAsync(false, null, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    /// <summary>The userinfo answer for <paramref name="accessToken"/>.</summary>
    public async Task<(HttpStatusCode Status, JsonElement? Claims)> UserInfoAsync(string accessToken)
    {
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : null);
    }

    /// <summary>A token request with the client's credentials (Basic, or in the form when <paramref name="secretInBody"/>).</summary>
    public async Task<TokenAnswer> TokenAsync(bool secretInBody, string? secretOverride, params (string Name, string Value)[] fields)
    {
        using var http = Http();
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        var secret = secretOverride ?? Secret;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
        if (secret is null || secretInBody)
        {
            form.Add(new("client_id", ClientId));
            if (secret is not null)
            {
                form.Add(new("client_secret", secret));
            }
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(secret)}")));
        }

        request.Content = new FormUrlEncodedContent(form);
        using var response = await http.SendAsync(request);
        return new TokenAnswer(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="path"/> (introspection, revocation) with the client's secret in the Basic header; the JSON answer, or an empty object.</summary>
    public async Task<JsonElement> PostAsync(string path, params (string Name, string Value)[] fields)
    {
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(Secret!)}")));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new XunitException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? JsonDocument.Parse("{}").RootElement.Clone() : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A client without cookies, as a docked system's back end is.</summary>
    public HttpClient Http() => factory.IsOnKestrel
        ? new HttpClient { BaseAddress = factory.ServerAddress }
        : factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>A token endpoint answer.</summary>
    public sealed record TokenAnswer(HttpStatusCode Status, JsonElement Json)
    {
        public string? Error => Json.TryGetProperty("error", out var e) ? e.GetString() : null;
        public string AccessToken => Json.GetProperty("access_token").GetString()!;
        public string IdToken => Json.GetProperty("id_token").GetString()!;
        public string RefreshToken => Json.GetProperty("refresh_token").GetString()!;

        /// <summary>Fails unless the request succeeded.</summary>
        public TokenAnswer Ok() => Status == HttpStatusCode.OK ? this : throw new XunitException($"Token request answered {(int)Status}: {Json}");
    }
}
