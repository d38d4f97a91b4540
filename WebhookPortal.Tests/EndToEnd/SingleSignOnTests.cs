using System.Text.Json;
using System.Text.RegularExpressions;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// A docked system signs its users in with the portal: a real ASP.NET Core app (<see cref="DockedApp"/>, Microsoft's OpenID
/// Connect handler) sends the browser to the portal's sign-in page, gets the user's claims back, and signs out through the
/// portal's end-session endpoint; webhooks on the client see Login and Logout naming the client ID.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class SingleSignOnTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    private const string Body = """
        {"client":"{{$$.SignInClientID$$}}","action":"{{$$.Action$$}}","user":"{{$$.Name$$}}"}
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_docked_app_signs_a_user_in_and_out_through_the_portal_and_the_webhooks_name_its_client_ID()
    {
        const string clientId = "crm-e2e", displayName = "CRM (e2e)", password = "Sso-Passw0rd!";
        var port = DockedApp.FreePort();
        var appUrl = $"http://localhost:{port}";
        var flow = await SsoFlow.RegisterAsync(portal.Factory, clientId, confidential: true, displayName,
            redirectUri: appUrl + "/signin-oidc", postLogoutRedirectUri: appUrl + "/signout-callback-oidc");
        await using var receiver = await LoopbackReceiver.StartAsync();
        await portal.Factory.AddWebhookAsync(receiver.Url("/sso"), UserAction.LoggedIn | UserAction.LoggedOut, body: Body, clientId: clientId);
        var user = await portal.Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("sso"), "Ada", "Lovelace"), password);
        await using var app = await DockedApp.StartAsync(port, portal.Factory.ServerAddress, clientId, flow.Secret);

        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "single-sign-on");
        var page = browser.Page;
        var portalSignIn = new Regex("^" + Regex.Escape(portal.Factory.ServerAddress.GetLeftPart(UriPartial.Authority)) + "/Account/Login",
            RegexOptions.IgnoreCase);
        await browser.RunAsync(async () =>
        {
            // The app sends the anonymous visitor to the portal's sign-in page.
            await page.GotoAsync(appUrl + "/");
            await Expect(page).ToHaveURLAsync(portalSignIn);
            await Expect(browser.Heading(browser.Text("Sign in"))).ToBeVisibleAsync();
            // The sign-in page may name the system the user signs in to; when it does, it names this one.
            var continueTo = page.GetByText("Sign in to continue to", new() { Exact = false });
            if (await continueTo.CountAsync() > 0)
            {
                await Expect(continueTo.First).ToContainTextAsync(displayName);
            }

            await browser.ShotAsync("portal-sign-in");
            await page.GetByLabel(browser.Text("User name or email")).FillAsync(user.UserName!);
            await page.GetByLabel(browser.Text("Password"), new() { Exact = true }).FillAsync(password);
            await browser.Button(browser.Text("Sign in")).ClickAsync();

            // Back in the app, which shows who signed in: the portal's user id, name and email.
            await Expect(page).ToHaveURLAsync(appUrl + "/");
            await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = DockedApp.HomeHeading })).ToBeVisibleAsync();
            await Expect(page.Locator("#claim-sub td")).ToHaveTextAsync(user.Id);
            await Expect(page.Locator("#claim-name td")).ToHaveTextAsync(PersonName.Full(user.FirstName, user.LastName));
            await Expect(page.Locator("#claim-email td")).ToHaveTextAsync(user.Email!);
            await Expect(page.Locator("#claim-preferred_username td")).ToHaveTextAsync(user.UserName!);
            await browser.ShotAsync("app-signed-in");
            var login = Event(await receiver.WaitForRequestAsync(IsSso("login", clientId), Wait, $"a login through {clientId}"));
            Assert.Equal(user.UserName, login.GetProperty("user").GetString());

            // Signing out of the app ends the portal's session too, and comes back to the app.
            await page.GotoAsync(appUrl + "/signout");
            await Expect(page).ToHaveURLAsync(appUrl + "/signed-out");
            await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = DockedApp.SignedOutHeading })).ToBeVisibleAsync();
            await browser.ShotAsync("app-signed-out");
            var logout = Event(await receiver.WaitForRequestAsync(IsSso("logout", clientId), Wait, $"a logout through {clientId}"));
            Assert.Equal(user.UserName, logout.GetProperty("user").GetString());

            // The portal asks for the password again: no session is left to sign in with silently.
            await page.GotoAsync(appUrl + "/");
            await Expect(page).ToHaveURLAsync(portalSignIn);
            await Expect(browser.Heading(browser.Text("Sign in"))).ToBeVisibleAsync();
            await browser.ShotAsync("portal-sign-in-again");
        });
    }

    private static Func<ReceivedRequest, bool> IsSso(string action, string clientId) => r =>
        Event(r) is var e && e.GetProperty("action").GetString() == action && e.GetProperty("client").GetString() == clientId;

    private static JsonElement Event(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();
}
