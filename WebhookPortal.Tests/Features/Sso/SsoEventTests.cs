using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Sso;

/// <summary>
/// Login and Logout webhooks for sign-ins through a docked client: the portal on Kestrel 127.0.0.1, a browser-like client,
/// and a loopback receiver reading <c>SignInClientID</c>.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SsoEventTests(KestrelPortal portal) : IClassFixture<KestrelPortal>, IAsyncLifetime
{
    private const string Password = "User-Passw0rd!";
    private const string Body = """{"action":"{{$$.Action$$}}","client":"{{$$.SignInClientID$$}}","ip":"{{$$.IPAddress$$}}","user":"{{$$.ID$$}}"}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly PortalFactory factory = portal.Factory;
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Signing_in_through_a_client_fires_one_login_naming_the_client()
    {
        var clientId = PortalData.UniqueName("crm");
        await factory.UseOnlyWebhookAsync(receiver.Url("/login"), UserAction.LoggedIn, body: Body, clientId: clientId);
        var flow = await SsoFlow.RegisterAsync(factory, clientId);
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);

        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New()), (user.Email!, Password));

        Assert.True(redirect.ContainsKey("code"));
        var body = await BodyAsync("/login");
        Assert.Equal("login", body.GetProperty("action").GetString());
        Assert.Equal(clientId, body.GetProperty("client").GetString());
        Assert.Equal("127.0.0.1", body.GetProperty("ip").GetString());
        // The sign-in page's own sign-in is the same sign-in: one event, not a portal one and a client one.
        Assert.Single(await factory.DeliveriesForUserAsync(user.Id));
    }

    [Fact]
    public async Task A_sign_in_that_reuses_the_portal_session_fires_login_too()
    {
        var clientId = PortalData.UniqueName("erp");
        await factory.UseOnlyWebhookAsync(receiver.Url("/reuse"), UserAction.LoggedIn, body: Body, clientId: clientId);
        var flow = await SsoFlow.RegisterAsync(factory, clientId);
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);

        await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New()));
        await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));

        // The outbox rows are written with the sign-in, before its answer.
        var clients = (await factory.DeliveriesForUserAsync(user.Id)).Select(d => JsonDocument.Parse(d.Body!).RootElement.GetProperty("client").GetString());
        Assert.Equal(["", clientId, clientId], clients);
    }

    [Fact]
    public async Task Ending_the_session_from_the_client_fires_logout_naming_it_and_signs_out_of_the_portal()
    {
        var clientId = PortalData.UniqueName("hr");
        await factory.UseOnlyWebhookAsync(receiver.Url("/logout"), UserAction.LoggedOut, body: Body, clientId: clientId);
        var flow = await SsoFlow.RegisterAsync(factory, clientId);
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();
        var redirect = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(attempt), (user.Email!, Password));
        var tokens = (await flow.RedeemAsync(redirect["code"], attempt)).Ok();

        using var response = await browser.Http.GetAsync(QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.IdToken,
            ["post_logout_redirect_uri"] = SsoFlow.PostLogoutRedirectUri,
            ["state"] = "bye",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(SsoFlow.PostLogoutRedirectUri + "?state=bye", response.Headers.Location!.ToString());
        var body = await BodyAsync("/logout");
        Assert.Equal("logout", body.GetProperty("action").GetString());
        Assert.Equal(clientId, body.GetProperty("client").GetString());
        var silent = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));
        Assert.Equal("login_required", silent["error"]);
    }

    [Fact]
    public async Task A_sign_out_link_without_an_id_token_hint_asks_first()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("link"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);

        using var page = await browser.Http.GetAsync("/connect/endsession?post_logout_redirect_uri=" + Uri.EscapeDataString(SsoFlow.PostLogoutRedirectUri));

        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode} {page.Headers.Location}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/connect/endsession\"", html, StringComparison.Ordinal);
        var stillSignedIn = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));
        Assert.True(stillSignedIn.ContainsKey("code"));

        // The confirmation form posts from the portal's own page, as a browser says with Sec-Fetch-Site.
        using var confirm = new HttpRequestMessage(HttpMethod.Post, "/connect/endsession")
        {
            Content = new FormUrlEncodedContent([new("post_logout_redirect_uri", SsoFlow.PostLogoutRedirectUri)]),
            Headers = { { "Sec-Fetch-Site", "same-origin" } },
        };
        using var confirmed = await browser.Http.SendAsync(confirm);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(SsoFlow.PostLogoutRedirectUri, confirmed.Headers.Location!.ToString());
        var signedOut = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));
        Assert.Equal("login_required", signedOut["error"]);
    }

    [Theory]
    [InlineData("same-site", "http://127.0.0.1:9")]
    [InlineData(null, "http://127.0.0.1:9")]
    [InlineData(null, null)]
    public async Task A_sign_out_form_from_another_origin_without_an_id_token_hint_asks_first(string? fetchSite, string? origin)
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("csrf"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);

        // A page on another port of the same host (the same site, so the SameSite=Lax cookie goes along) posts a sign-out form.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/endsession")
        {
            Content = new FormUrlEncodedContent([new("post_logout_redirect_uri", SsoFlow.PostLogoutRedirectUri), new("state", "s1")]),
        };
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var page = await browser.Http.SendAsync(request);

        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode} {page.Headers.Location}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/connect/endsession\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"state\" value=\"s1\"", html, StringComparison.Ordinal);
        var stillSignedIn = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));
        Assert.True(stillSignedIn.ContainsKey("code"));
    }

    [Fact]
    public async Task A_sign_out_link_with_another_users_id_token_asks_first()
    {
        var flow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("hint"));
        var attacker = await CreateUserAsync();
        var victim = await CreateUserAsync();
        using var attackerBrowser = AccountClient.For(factory);
        var attempt = SsoFlow.Attempt.New();
        var redirect = await flow.AuthorizeAsync(attackerBrowser, flow.AuthorizeUrl(attempt), (attacker.Email!, Password));
        var attackersToken = (await flow.RedeemAsync(redirect["code"], attempt)).Ok().IdToken;
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(victim.Email!, Password);

        using var page = await browser.Http.GetAsync(QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = attackersToken,
            ["post_logout_redirect_uri"] = SsoFlow.PostLogoutRedirectUri,
        }));

        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{page.StatusCode} {page.Headers.Location}");
        Assert.Contains("action=\"/connect/endsession\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stillSignedIn = await flow.AuthorizeAsync(browser, flow.AuthorizeUrl(SsoFlow.Attempt.New(), extra: ("prompt", "none")));
        Assert.True(stillSignedIn.ContainsKey("code"));
    }

    [Fact]
    public async Task A_webhook_limited_to_its_client_hears_only_sign_ins_through_it()
    {
        var own = PortalData.UniqueName("own");
        var webhook = await factory.UseOnlyWebhookAsync(receiver.Url("/own"), UserAction.LoggedIn | UserAction.LoggedOut, body: Body, clientId: own);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Id == webhook.Id).ExecuteUpdateAsync(u => u.SetProperty(w => w.SignIns, SignInScope.ThisClient));
        }

        var ownFlow = await SsoFlow.RegisterAsync(factory, own);
        var otherFlow = await SsoFlow.RegisterAsync(factory, PortalData.UniqueName("other"));
        var user = await CreateUserAsync();
        using var browser = AccountClient.For(factory);

        await browser.LoginAsync(user.Email!, Password);
        await otherFlow.AuthorizeAsync(browser, otherFlow.AuthorizeUrl(SsoFlow.Attempt.New()));
        await ownFlow.AuthorizeAsync(browser, ownFlow.AuthorizeUrl(SsoFlow.Attempt.New()));

        var body = await BodyAsync("/own");
        Assert.Equal(own, body.GetProperty("client").GetString());
        Assert.Single(await factory.DeliveriesForUserAsync(user.Id));
    }

    private async Task<JsonElement> BodyAsync(string path)
    {
        var request = await receiver.WaitForRequestToAsync(path, Wait);
        return JsonDocument.Parse(request.Body).RootElement.Clone();
    }

    private async Task<PortalUser> CreateUserAsync() =>
        await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("sso")), Password);
}
