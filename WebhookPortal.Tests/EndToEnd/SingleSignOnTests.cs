using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
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
            // The sign-in page names the system the user signs in to.
            await Expect(browser.Heading("Sign in to continue to " + displayName)).ToBeVisibleAsync();

            await browser.ShotAsync("portal-sign-in");
            await page.GetByLabel(browser.Text("User name or email")).FillAsync(user.UserName!);
            await page.GetByLabel(browser.Text("Password"), new() { Exact = true }).FillAsync(password);
            await browser.Button(browser.Text("Sign in")).ClickAsync();

            // Back in the app, which shows who signed in: the portal's user id, name and email.
            await Expect(page).ToHaveURLAsync(appUrl + "/");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = DockedApp.HomeHeading })).ToBeVisibleAsync();
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
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = DockedApp.SignedOutHeading })).ToBeVisibleAsync();
            await browser.ShotAsync("app-signed-out");
            var logout = Event(await receiver.WaitForRequestAsync(IsSso("logout", clientId), Wait, $"a logout through {clientId}"));
            Assert.Equal(user.UserName, logout.GetProperty("user").GetString());
            // One sign-in and one sign-out, both naming the client: the portal's sign-in page fires no second Login of its own.
            Assert.Equal([$"login {clientId}", $"logout {clientId}"], receiver.Requests.Select(Event)
                .Where(e => e.GetProperty("user").GetString() == user.UserName)
                .Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("client").GetString()}"));

            // The portal asks for the password again: no session is left to sign in with silently.
            await page.GotoAsync(appUrl + "/");
            await Expect(page).ToHaveURLAsync(portalSignIn);
            await Expect(browser.Heading("Sign in to continue to " + displayName)).ToBeVisibleAsync();
            await browser.ShotAsync("portal-sign-in-again");
        });
    }

    [Fact]
    public async Task Test_sign_in_runs_the_code_flow_for_a_public_client_and_shows_the_id_token_claims_and_userinfo()
    {
        var clientId = PortalData.UniqueName("spa");
        await SsoFlow.RegisterAsync(portal.Factory, clientId, confidential: false, "Single-page app",
            redirectUri: new Uri(portal.Factory.ServerAddress, "sso/test-sign-in").ToString());
        string adminId;
        await using (var scope = portal.Factory.Services.CreateAsyncScope())
        {
            adminId = (await scope.ServiceProvider.GetRequiredService<PortalUserManager>().FindByNameAsync(PortalFactory.AdminUserName))!.Id;
        }

        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "test-sign-in");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/sso/test-sign-in?client_id=" + clientId);
            await browser.ExpectPageAsync(browser.Text("Test sign-in"));
            var signIn = browser.Button(browser.Text("Sign in"));
            await Expect(signIn).ToBeEnabledAsync();
            await browser.ShotAsync("test-sign-in");

            // The pop-up signs in with the administrator's portal session, hands the code back and closes.
            await signIn.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = browser.Text("ID token claims"), Level = 2 })).ToBeVisibleAsync();
            await Expect(Claim(page, "sub")).ToHaveTextAsync(adminId);
            await Expect(Claim(page, "iss")).ToHaveTextAsync(portal.Factory.ServerAddress.ToString());
            await Expect(Claim(page, "aud")).ToHaveTextAsync(clientId);
            var userInfo = page.GetByLabel(browser.Text("Userinfo answer"), new() { Exact = true });
            await Expect(userInfo).ToContainTextAsync($"\"sub\": \"{adminId}\"");
            await Expect(userInfo).ToContainTextAsync($"\"preferred_username\": \"{PortalFactory.AdminUserName}\"");
            await Expect(page.GetByText("HTTP 200")).ToBeVisibleAsync();
            await browser.ShotAsync("test-sign-in-claims");
        });
    }

    [Fact]
    public async Task Test_sign_in_of_a_confidential_client_shows_the_error_for_a_wrong_secret_and_the_claims_for_the_right_one()
    {
        var clientId = PortalData.UniqueName("crm");
        var flow = await SsoFlow.RegisterAsync(portal.Factory, clientId, confidential: true, "CRM",
            redirectUri: new Uri(portal.Factory.ServerAddress, "sso/test-sign-in").ToString());

        await using var browser = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "test-sign-in-confidential", culture: "zh-CN");
        var page = browser.Page;
        await browser.RunAsync(async () =>
        {
            await browser.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/sso/test-sign-in?client_id=" + clientId);
            await browser.ExpectPageAsync(browser.Text("Test sign-in"));
            var signIn = browser.Button(browser.Text("Sign in"));
            await Expect(signIn).ToBeEnabledAsync();
            var secret = page.GetByLabel(browser.Text("Client secret"), new() { Exact = true });
            await Expect(secret).ToHaveAttributeAsync("type", "password");

            // Without a secret the page asks for it; with a wrong one the token endpoint refuses the client.
            await signIn.ClickAsync();
            await Expect(page.GetByText(browser.Text("Enter the client secret first."))).ToBeVisibleAsync();
            await secret.FillAsync("cs_wrong");
            await signIn.ClickAsync();
            var failed = page.Locator(".mud-alert").Filter(new() { HasText = browser.Text("Sign-in failed") });
            await Expect(failed).ToContainTextAsync("invalid_client");
            await browser.ShotAsync("wrong-secret");

            await secret.FillAsync(flow.Secret!);
            await signIn.ClickAsync();
            await Expect(Claim(page, "aud")).ToHaveTextAsync(clientId);
            await Expect(failed).ToHaveCountAsync(0);
            await Expect(page.GetByLabel(browser.Text("Userinfo answer"), new() { Exact = true })).ToContainTextAsync("\"preferred_username\": \"admin\"");
            await browser.ShotAsync("right-secret");
        });
    }

    /// <summary>The value cell of claim <paramref name="name"/> in the ID token claims table.</summary>
    private static ILocator Claim(IPage page, string name) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = name, Exact = true }) }).GetByRole(AriaRole.Cell);

    private static Func<ReceivedRequest, bool> IsSso(string action, string clientId) => r =>
        Event(r) is var e && e.GetProperty("action").GetString() == action && e.GetProperty("client").GetString() == clientId;

    private static JsonElement Event(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();
}
