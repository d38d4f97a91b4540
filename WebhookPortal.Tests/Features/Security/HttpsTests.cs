using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// HTTPS: with <c>Security:HttpsRedirection</c> on (the default outside Development) a plain-HTTP request is redirected to
/// HTTPS and an HTTPS answer carries HSTS and a <c>Secure</c> antiforgery cookie; behind a TLS-terminating proxy
/// (<c>Security:ForwardedHeaders</c>) the proxy's <c>X-Forwarded-Proto: https</c> counts as HTTPS.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class HttpsTests
{
    private static readonly Dictionary<string, string?> Https = new()
    {
        ["Security:HttpsRedirection"] = "true",
        ["https_port"] = "443",
    };

    [Fact]
    public async Task Plain_HTTP_is_redirected_to_HTTPS_which_carries_HSTS_and_a_secure_antiforgery_cookie()
    {
        await using var factory = PortalFactory.Create(overrides: Https);
        using var plain = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://portal.test"), AllowAutoRedirect = false });
        using var secure = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.test"), AllowAutoRedirect = false });

        using var redirected = await plain.GetAsync("/Account/Login");
        using var page = await secure.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal("https://portal.test/Account/Login", redirected.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=", string.Join("", page.Headers.GetValues("Strict-Transport-Security")));
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Plain_HTTP_keeps_a_non_secure_antiforgery_cookie_and_no_HSTS_when_redirection_is_off()
    {
        await using var factory = PortalFactory.Create(overrides: new Dictionary<string, string?> { ["Security:HttpsRedirection"] = "false" });
        using var plain = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://portal.test"), AllowAutoRedirect = false });

        using var page = await plain.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Behind_a_TLS_terminating_proxy_its_forwarded_scheme_counts()
    {
        await using var factory = PortalFactory.CreateOnKestrel(new Dictionary<string, string?>(Https) { ["Security:ForwardedHeaders"] = "true" });
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = factory.ServerAddress };

        using var direct = await http.GetAsync("/Account/Login");
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        proxied.Headers.Host = "portal.test";
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var forwarded = await http.SendAsync(proxied);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.True(forwarded.Headers.Contains("Strict-Transport-Security"));
        ResponseHeadersTests.AssertSecurityHeaders(forwarded);
    }
}
