using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Sdk;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// A browser-like client for the portal's static Identity pages: it keeps cookies, does not follow redirects, and posts
/// the real forms (<c>/Account/Login</c>, <c>/Account/Logout</c>) with the antiforgery token the pages render.
/// </summary>
public sealed partial class AccountClient(HttpClient http) : IDisposable
{
    /// <summary>The name of Identity's sign-in cookie.</summary>
    public const string AuthCookie = ".AspNetCore.Identity.Application";

    public HttpClient Http { get; } = http;

    /// <summary>
    /// A client for <paramref name="factory"/>: over TCP when it runs on Kestrel, else through the in-memory test server.
    /// </summary>
    public static AccountClient For(PortalFactory factory)
    {
        if (!factory.IsOnKestrel)
        {
            return new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        }

        // WebApplicationFactory's clients for Kestrel sit on a default handler that follows redirects by itself,
        // whatever AllowAutoRedirect says; a plain client with its own cookie jar behaves like the browser we want.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        return new(new HttpClient(handler) { BaseAddress = factory.ServerAddress });
    }

    /// <summary>
    /// Posts the login form as a person would: GET the page for its token, then POST the fields; with
    /// <paramref name="returnUrl"/>, to the page as a redirect to sign in leaves the browser on it.
    /// </summary>
    public async Task<HttpResponseMessage> PostLoginAsync(string email, string password, string? returnUrl = null)
    {
        var page = returnUrl is null ? "/Account/Login" : "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await AntiforgeryTokenAsync(page);
        return await Http.PostAsync(page, new FormUrlEncodedContent(
        [
            new("_handler", "login"),
            new("__RequestVerificationToken", token),
            new("Input.Email", email),
            new("Input.Password", password),
            new("Input.RememberMe", "false"),
        ]));
    }

    /// <summary>Signs in and fails the test unless the portal answered with a redirect and its sign-in cookie.</summary>
    public async Task LoginAsync(string email, string password)
    {
        using var response = await PostLoginAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || !SetsCookie(response, AuthCookie))
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new XunitException(
                $"Signing in as {email} answered {(int)response.StatusCode} without the {AuthCookie} cookie. " +
                $"Error shown: {ErrorMessage(body) ?? "(none)"}");
        }
    }

    /// <summary>
    /// Posts the logout form. The token comes from a page rendered for the signed-in user (a token issued to an anonymous
    /// visitor is refused once signed in).
    /// </summary>
    public async Task<HttpResponseMessage> PostLogoutAsync()
    {
        var token = await AntiforgeryTokenAsync("/Account/Manage/ChangePassword");
        return await Http.PostAsync("/Account/Logout", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", token),
            new("returnUrl", "Account/Login"),
        ]));
    }

    /// <summary>Whether <paramref name="response"/> sets (not clears) the cookie <paramref name="name"/>.</summary>
    public static bool SetsCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
        && cookies.Any(c => c.StartsWith(name + "=", StringComparison.Ordinal) && !c.StartsWith(name + "=;", StringComparison.Ordinal));

    /// <summary>The error the login page shows, if any.</summary>
    public static string? ErrorMessage(string html)
    {
        var match = ErrorAlert().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    /// <summary>GETs <paramref name="path"/> and returns the antiforgery token of its first form.</summary>
    public async Task<string> AntiforgeryTokenAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new XunitException($"GET {path} answered {(int)response.StatusCode}, so there is no form to take a token from.");
        }

        foreach (Match input in HiddenInput().Matches(html))
        {
            var tag = input.Value;
            if (tag.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal))
            {
                var value = ValueAttribute().Match(tag);
                if (value.Success)
                {
                    return WebUtility.HtmlDecode(value.Groups[1].Value);
                }
            }
        }

        throw new XunitException($"GET {path} rendered no __RequestVerificationToken field.");
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();

    [GeneratedRegex("<div[^>]*alert[^>]*>(.*?)<", RegexOptions.Singleline)]
    private static partial Regex ErrorAlert();
}
