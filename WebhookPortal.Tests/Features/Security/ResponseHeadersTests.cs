using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// The security headers on every kind of answer, not only on pages: 401s, redirects and 404s, from the portal and the API,
/// over real HTTP on Kestrel; <c>Cache-Control: no-store</c> on every API answer; no <c>Server</c> header.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ResponseHeadersTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    /// <summary>Anonymous requests and the status each must get.</summary>
    public static TheoryData<string, string, int> Answers => new()
    {
        { "GET", "/Account/Login", 200 },
        { "GET", "/health", 200 },
        { "GET", "/openapi/v1.json", 200 },
        { "GET", "/clients", 302 },
        { "GET", "/culture?culture=en&redirectUri=/", 302 },
        { "GET", "/api/v1/clients", 401 },
        { "POST", "/api/v1/users/x/disable", 401 },
        { "GET", "/no-such-page", 404 },
        { "GET", "/api/v1/no-such-thing", 404 },
        { "GET", "/favicon.png", 200 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_carries_the_security_headers(string method, string path, int status)
    {
        using var http = NewClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Signed_in_answers_carry_them_too_and_API_answers_are_never_cached()
    {
        using var browser = AccountClient.For(portal.Factory);
        await browser.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
        var own = portal.Factory.ServerAddress.GetLeftPart(UriPartial.Authority);

        foreach (var (method, path, status) in new[]
        {
            ("GET", "/clients", 200),
            ("GET", "/api/v1/clients", 200),
            ("GET", "/api/v1/clients/no-such-client", 404),
            ("GET", "/api/v1/deliveries/not-a-guid", 404),
            ("POST", "/api/v1/clients", 415),
            ("POST", "/api/v1/users/x/disable", 403),
            ("PATCH", "/api/v1/clients", 405),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : new StringContent("x") };
            if (status != 403)
            {
                request.Headers.Add("Origin", own);
            }

            using var response = await browser.Http.SendAsync(request);

            Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode}");
            AssertSecurityHeaders(response);
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.True(response.Headers.CacheControl?.NoStore == true, $"{method} {path}: Cache-Control {response.Headers.CacheControl}");
            }
        }
    }

    [Fact]
    public async Task Every_API_answer_is_no_store_even_a_401()
    {
        using var http = NewClient();

        using var response = await http.GetAsync("/api/v1/clients");

        Assert.True(response.Headers.CacheControl?.NoStore == true, $"Cache-Control {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task The_antiforgery_cookie_follows_the_request_scheme()
    {
        var options = portal.Factory.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;

        Assert.Equal(CookieSecurePolicy.SameAsRequest, options.Cookie.SecurePolicy);
        Assert.True(options.Cookie.HttpOnly);
    }

    private HttpClient NewClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.Factory.ServerAddress };

    /// <summary>Fails unless <paramref name="response"/> has the portal's security headers and no Server header.</summary>
    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var what = $"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{what}: X-Content-Type-Options");
        Assert.True(Header(response, "X-Frame-Options") == "DENY", $"{what}: X-Frame-Options");
        Assert.True(Header(response, "Referrer-Policy") == "no-referrer", $"{what}: Referrer-Policy");
        Assert.True(Header(response, "Content-Security-Policy")?.Contains("frame-ancestors 'none'", StringComparison.Ordinal) == true, $"{what}: Content-Security-Policy");
        var permissions = Header(response, "Permissions-Policy") ?? "";
        foreach (var off in new[] { "camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()" })
        {
            Assert.True(permissions.Contains(off, StringComparison.Ordinal), $"{what}: Permissions-Policy lacks {off}: {permissions}");
        }

        // Passkeys on the portal's own pages: "self" as a bare token or a one-item list, both valid structured-field syntax.
        foreach (var passkeys in new[] { "publickey-credentials-get", "publickey-credentials-create" })
        {
            Assert.True(permissions.Contains($"{passkeys}=self", StringComparison.Ordinal) || permissions.Contains($"{passkeys}=(self)", StringComparison.Ordinal),
                $"{what}: Permissions-Policy does not allow {passkeys} for the portal: {permissions}");
        }

        Assert.False(response.Headers.Contains("Server"), $"{what}: Server: {Header(response, "Server")}");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
