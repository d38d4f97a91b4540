using System.Net;
using System.Text.RegularExpressions;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// Issue 5 §2: every response carries the security headers, and the Content-Security-Policy admits the import map by the
/// request's nonce instead of allowing inline scripts.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed partial class SecurityHeadersTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    public static TheoryData<string> Paths => new()
    {
        "/Account/Login",
        "/clients",
        "/inbox/x",
        "/health",
        "/no-such-page",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var account = AccountClient.For(factory);
        await account.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);

        using var response = await account.Http.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        var csp = Directives(Header(response, "Content-Security-Policy"));
        Assert.Equal("'self'", csp["default-src"]);
        Assert.Matches(NoncePattern(), csp["script-src"]);
        Assert.Equal("'self' 'unsafe-inline'", csp["style-src"]);
        Assert.Equal("'self' data:", csp["img-src"]);
        Assert.Equal("'self' data:", csp["font-src"]);
        Assert.Equal("'self'", csp["connect-src"]);
        Assert.Equal("'self'", csp["worker-src"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'self'", csp["base-uri"]);
        Assert.Equal("'self'", csp["form-action"]);
    }

    [Fact]
    public async Task A_signed_in_portal_page_is_served_with_its_headers_rather_than_a_redirect()
    {
        using var account = AccountClient.For(factory);
        await account.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);

        using var response = await account.Http.GetAsync("/clients");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Docking Portal", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/Account/Login", false)]
    [InlineData("/clients", true)]
    public async Task The_import_map_carries_the_nonce_of_its_own_response_and_no_script_is_allowed_inline_or_by_eval(string path, bool signIn)
    {
        using var account = AccountClient.For(factory);
        if (signIn)
        {
            await account.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
        }

        using var first = await account.Http.GetAsync(path);
        using var second = await account.Http.GetAsync(path);

        var scriptSrc = Directives(Header(first, "Content-Security-Policy"))["script-src"];
        Assert.DoesNotContain("'unsafe-inline'", scriptSrc);
        Assert.DoesNotContain("'unsafe-eval'", scriptSrc);
        var nonce = NoncePattern().Match(scriptSrc).Groups["nonce"].Value;
        var html = await first.Content.ReadAsStringAsync();
        // Attribute values are HTML-encoded ('+' as &#x2B;); the browser compares the decoded value.
        var importMap = Assert.Single(ScriptTag().Matches(html), tag => tag.Value.Contains("importmap", StringComparison.Ordinal)).Value;
        Assert.Contains($"nonce=\"{nonce}\"", WebUtility.HtmlDecode(importMap));
        var otherNonce = NoncePattern().Match(Directives(Header(second, "Content-Security-Policy"))["script-src"]).Groups["nonce"].Value;
        Assert.NotEqual(nonce, otherNonce);
        // Every other script element is loaded from the portal (src), none is inline.
        Assert.All(ScriptTag().Matches(html), tag => Assert.True(
            tag.Value.Contains(" src=", StringComparison.Ordinal) || WebUtility.HtmlDecode(tag.Value).Contains($"nonce=\"{nonce}\"", StringComparison.Ordinal),
            $"inline script without the nonce: {tag.Value}"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri} has no {name} header.");

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [GeneratedRegex("^'self' 'nonce-(?<nonce>[A-Za-z0-9+/]{20,}={0,2})'$")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("<script\\b[^>]*>")]
    private static partial Regex ScriptTag();
}
