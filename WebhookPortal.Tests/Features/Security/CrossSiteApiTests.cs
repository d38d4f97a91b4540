using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebhookPortal.Data;
using WebhookPortal.Tests.Features.Api;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Security;

/// <summary>
/// A page on another origin of the same site (another port of 127.0.0.1) must not be able to change anything through the
/// API with the administrator's sign-in cookie: a cookie-authenticated POST, PUT or DELETE needs
/// <c>Sec-Fetch-Site: same-origin</c> or the portal's own <c>Origin</c>. Bearer tokens are not sent by browsers on their own,
/// so token requests are unaffected. Real HTTP on Kestrel, real cookies.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class CrossSiteApiTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    private PortalFactory Factory => portal.Factory;

    private string OwnOrigin => Factory.ServerAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Headers a browser would send, as "Name: value" pairs, and whether the API should act.</summary>
    public static TheoryData<string, string[], bool> CookieRequests => new()
    {
        { "no Origin, no Sec-Fetch-Site (a form of an old browser, curl with a stolen cookie)", [], false },
        { "cross-site", ["Sec-Fetch-Site: cross-site", "Origin: http://evil.example"], false },
        { "same-site, another port", ["Sec-Fetch-Site: same-site", "Origin: http://127.0.0.1:5398"], false },
        { "same-site without Origin", ["Sec-Fetch-Site: same-site"], false },
        { "another origin without Sec-Fetch-Site", ["Origin: http://127.0.0.1:5398"], false },
        { "Origin null (a sandboxed frame or a redirect)", ["Origin: null"], false },
        { "Sec-Fetch-Site cross-site outweighs a matching Origin", ["Sec-Fetch-Site: cross-site", "Origin: {own}"], false },
        { "same-origin by Sec-Fetch-Site", ["Sec-Fetch-Site: same-origin"], true },
        { "same-origin by Origin", ["Origin: {own}"], true },
        { "same-origin by both", ["Sec-Fetch-Site: same-origin", "Origin: {own}"], true },
    };

    [Theory]
    [MemberData(nameof(CookieRequests))]
    public async Task A_cookie_authenticated_POST_needs_a_same_origin_signal(string what, string[] headers, bool acts)
    {
        var victim = await Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("victim")));
        using var browser = AccountClient.For(Factory);
        await browser.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{victim.Id}/disable")
        {
            // What an HTML form sends: no JSON, an empty url-encoded body.
            Content = new FormUrlEncodedContent([]),
        };
        Add(request, headers);

        using var response = await browser.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        if (acts)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: {(int)response.StatusCode} {body}");
            Assert.False(await EnabledAsync(victim.Id), what);
        }
        else
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("same-origin", body);
            Assert.True(await EnabledAsync(victim.Id), $"{what}: the user was disabled.");
        }
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Every_unsafe_method_needs_it(string method)
    {
        var victim = await Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("victim")));
        using var browser = AccountClient.For(Factory);
        await browser.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/users/{victim.Id}")
        {
            Content = method == "PUT" ? new StringContent("""{"userName":"renamed-by-attacker","email":"a@b.test"}""", null, "application/json") : null,
        };
        Add(request, ["Sec-Fetch-Site: same-site", "Origin: http://127.0.0.1:5398"]);

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var scope = Factory.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(victim.UserName!));
    }

    [Fact]
    public async Task A_cookie_authenticated_GET_needs_no_signal()
    {
        using var browser = AccountClient.For(Factory);
        await browser.LoginAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users");
        Add(request, ["Sec-Fetch-Site: cross-site", "Origin: http://evil.example"]);

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_request_from_a_foreign_origin_still_acts()
    {
        var victim = await Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("tokenuser")));
        var token = await ApiClient.CreateTokenAsync(Factory);
        using var http = new HttpClient { BaseAddress = Factory.ServerAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{victim.Id}/disable");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Add(request, ["Sec-Fetch-Site: cross-site", "Origin: http://evil.example"]);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await EnabledAsync(victim.Id));
    }

    [Fact]
    public async Task A_signed_out_cross_site_POST_is_still_a_401()
    {
        using var http = new HttpClient { BaseAddress = Factory.ServerAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users/x/disable");
        Add(request, ["Sec-Fetch-Site: cross-site", "Origin: http://evil.example"]);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private void Add(HttpRequestMessage request, IEnumerable<string> headers)
    {
        foreach (var header in headers)
        {
            var (name, value) = (header.Split(':', 2)[0], header.Split(':', 2)[1].Trim().Replace("{own}", OwnOrigin));
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private async Task<bool> EnabledAsync(string userId)
    {
        await using var db = await Factory.CreateDbContextAsync();
        return (await db.Users.FindAsync(userId))!.Enabled;
    }
}
