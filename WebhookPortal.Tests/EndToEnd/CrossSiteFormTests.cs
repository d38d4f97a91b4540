using System.Net;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// A signed-in administrator visits a page on another port of the same host (same site, another origin), which posts a
/// form to the portal's API. The browser sends the sign-in cookie along (same site), so only the API's same-origin rule
/// stands between that page and the portal: the user must stay enabled. The portal's own pages calling the API with
/// <c>fetch</c>, as the API reference's "try it" does, keep working.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class CrossSiteFormTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    [Fact]
    public async Task A_form_on_another_origin_of_the_same_site_cannot_disable_a_user()
    {
        var factory = portal.Factory;
        var portalAddress = factory.ServerAddress;
        var victim = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("victim")));
        var other = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("other")));
        var target = new Uri(portalAddress, $"/api/v1/users/{victim.Id}/disable");
        await using var attacker = await LoopbackReceiver.StartAsync();
        Assert.NotEqual(portalAddress.Port, attacker.Port);
        attacker.RespondWith(200, $"""
            <!doctype html>
            <html><body>
            <form id="f" method="post" action="{target}"><input type="hidden" name="x" value="1"></form>
            <script>document.getElementById('f').submit();</script>
            </body></html>
            """, new Dictionary<string, string> { ["Content-Type"] = "text/html; charset=utf-8" });

        await using var browser = await BrowserSession.OpenAsync(chromium, portalAddress, "cross-site-form");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/users");

            var answer = await page.RunAndWaitForResponseAsync(
                () => page.GotoAsync(attacker.Url("/innocent-page")),
                response => response.Url == target.ToString());
            var request = answer.Request;
            var sent = await request.AllHeadersAsync();
            await browser.ShotAsync("after-the-forged-form");

            // The cookie went along (a request without it would be a 401), and the answer is the API's same-origin refusal.
            Assert.True(sent.ContainsKey("cookie"), "The browser did not send the sign-in cookie, so the test proves nothing.");
            Assert.Equal("same-site", sent.GetValueOrDefault("sec-fetch-site"));
            Assert.Equal((int)HttpStatusCode.Forbidden, answer.Status);
            Assert.Contains("same-origin", await answer.TextAsync());
            Assert.True(await EnabledAsync(victim.Id), "The forged form disabled the user.");
            Assert.Single(attacker.Requests, r => r.Path == "/innocent-page");

            // The portal's own page calling the API from the browser, as the API reference's "try it" does, still works.
            await browser.GotoAsync("/users");
            var status = await page.EvaluateAsync<int>(
                "async url => (await fetch(url, { method: 'POST', credentials: 'same-origin' })).status",
                $"/api/v1/users/{other.Id}/disable");
            Assert.Equal(200, status);
            Assert.False(await EnabledAsync(other.Id));
        });
    }

    private async Task<bool> EnabledAsync(string userId)
    {
        await using var db = await portal.Factory.CreateDbContextAsync();
        return (await db.Users.FindAsync(userId))!.Enabled;
    }
}
