using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Users;

/// <summary>
/// LoggedIn and LoggedOut through the real Identity pages: a browser-like client posts the login and logout forms to the
/// portal served by Kestrel on 127.0.0.1, so the events carry a real client address.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class SignInWebhookTests(KestrelPortal portal) : IClassFixture<KestrelPortal>, IAsyncLifetime
{
    private const string Password = "User-Passw0rd!";

    private const string EventBody = """
        {
          "action": "{{$$.Action$$}}",
          "event": "{{$$.Event$$}}",
          "eventId": "{{$$.EventID$$}}",
          "occurredAt": "{{$$.OccurredAt$$}}",
          "ip": "{{$$.IPAddress$$}}",
          "id": "{{$$.ID$$}}",
          "name": "{{$$.Name$$}}",
          "email": "{{$$.Email$$}}",
          "first": "{{$$.FirstName$$}}",
          "last": "{{$$.LastName$$}}",
          "enabled": {{$$.Enabled$$}},
          "changed": "{{$$.ChangedFields$$}}",
          "client": "{{$$.ClientID$$}}",
          "webhook": "{{$$.WebhookName$$}}"
        }
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly PortalFactory factory = portal.Factory;
    private LoopbackReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Delivers_login_event_with_client_address_when_user_signs_in_through_the_login_page()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/login"), UserAction.LoggedIn, body: EventBody, clientId: "sso", name: "Logins");
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("login")), Password);
        using var browser = AccountClient.For(factory);

        await browser.LoginAsync(user.Email!, Password);

        var request = await receiver.WaitForRequestToAsync("/login", Wait);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.LoggedIn);
        Assert.Equal("POST", request.Method);
        WebhookAssert.HasStandardHeaders(request, delivery, "user.login", withBody: true);
        using var json = JsonDocument.Parse(request.Body);
        var body = json.RootElement;
        Assert.Equal("login", body.GetProperty("action").GetString());
        Assert.Equal("user.login", body.GetProperty("event").GetString());
        Assert.Equal(delivery.EventId.ToString(), body.GetProperty("eventId").GetString());
        AssertRecentRfc3339(body.GetProperty("occurredAt").GetString());
        Assert.Equal("127.0.0.1", body.GetProperty("ip").GetString());
        Assert.Equal(user.Id, body.GetProperty("id").GetString());
        Assert.Equal(user.UserName, body.GetProperty("name").GetString());
        Assert.Equal(user.Email, body.GetProperty("email").GetString());
        Assert.Equal(user.FirstName, body.GetProperty("first").GetString());
        Assert.Equal(user.LastName, body.GetProperty("last").GetString());
        Assert.Equal(JsonValueKind.True, body.GetProperty("enabled").ValueKind);
        Assert.Equal("", body.GetProperty("changed").GetString());
        Assert.Equal("sso", body.GetProperty("client").GetString());
        Assert.Equal("Logins", body.GetProperty("webhook").GetString());
        await factory.WaitForDeliveryAsync(delivery.Id, d => d.Status == WebhookPortal.Features.Delivery.DeliveryStatus.Succeeded, "Succeeded");
    }

    [Fact]
    public async Task A_portal_sign_in_reaches_webhooks_for_all_sign_ins_but_not_those_only_for_their_own_client()
    {
        var everySignIn = await factory.UseOnlyWebhookAsync(receiver.Url("/every-sign-in"), UserAction.LoggedIn, clientId: "sync", name: "Every sign-in");
        var ownSignIns = await factory.AddWebhookAsync(receiver.Url("/own-sign-ins"), UserAction.LoggedIn | UserAction.LoggedOut, clientId: "crm", name: "CRM sign-ins");
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Webhooks.Where(w => w.Id == ownSignIns.Id).ExecuteUpdateAsync(s => s.SetProperty(w => w.SignIns, SignInScope.ThisClient));
        }

        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("scope")), Password);
        using var browser = AccountClient.For(factory);

        await browser.LoginAsync(user.Email!, Password);
        using (var response = await browser.PostLogoutAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        // The deliveries of one event are written together, so once the login's is there, a second would be too.
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.LoggedIn);
        await receiver.WaitForRequestToAsync("/every-sign-in", Wait);
        Assert.Equal(everySignIn.Id, delivery.WebhookId);
        Assert.Equal("sync", delivery.ClientId);
        Assert.DoesNotContain(await factory.DeliveriesForUserAsync(user.Id), d => d.WebhookId == ownSignIns.Id);
    }

    [Fact]
    public async Task Delivers_logout_event_when_signed_in_user_signs_out()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/logout"), UserAction.LoggedOut, body: EventBody);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("logout")), Password);
        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);
        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));

        using var response = await browser.PostLogoutAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var request = await receiver.WaitForRequestToAsync("/logout", Wait);
        var delivery = await factory.SingleDeliveryAsync(user.Id, UserAction.LoggedOut);
        WebhookAssert.HasStandardHeaders(request, delivery, "user.logout", withBody: true);
        using var json = JsonDocument.Parse(request.Body);
        var body = json.RootElement;
        Assert.Equal("logout", body.GetProperty("action").GetString());
        Assert.Equal("user.logout", body.GetProperty("event").GetString());
        Assert.Equal(delivery.EventId.ToString(), body.GetProperty("eventId").GetString());
        Assert.Equal("127.0.0.1", body.GetProperty("ip").GetString());
        Assert.Equal(user.Id, body.GetProperty("id").GetString());
        Assert.Equal(user.UserName, body.GetProperty("name").GetString());
        Assert.Equal(user.Email, body.GetProperty("email").GetString());
        Assert.Equal("", body.GetProperty("changed").GetString());
    }

    [Fact]
    public async Task Delivers_nothing_when_an_anonymous_visitor_posts_logout()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/anonymous-logout"), UserAction.LoggedOut);
        using var browser = AccountClient.For(factory);
        var token = await browser.AntiforgeryTokenAsync("/Account/Login");

        using var response = await browser.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("returnUrl", "Account/Login")]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(await factory.DeliveriesAsync());
    }

    [Fact]
    public async Task Delivers_nothing_when_the_password_is_wrong()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/wrong-password"), UserAction.LoggedIn | UserAction.Updated);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("wrong")), Password);
        using var browser = AccountClient.For(factory);

        using var response = await browser.PostLoginAsync(user.Email!, "Not-the-passw0rd!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(AccountClient.SetsCookie(response, AccountClient.AuthCookie));
        Assert.Equal("Error: Invalid login attempt.", AccountClient.ErrorMessage(await response.Content.ReadAsStringAsync()));
        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
    }

    [Fact]
    public async Task Disabled_user_cannot_sign_in_through_the_login_page()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/disabled"), UserAction.LoggedIn);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("disabled")), Password);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            Assert.True((await users.SetEnabledAsync((await users.FindByIdAsync(user.Id))!, false)).Succeeded);
        }

        using var browser = AccountClient.For(factory);
        using var response = await browser.PostLoginAsync(user.Email!, Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(AccountClient.SetsCookie(response, AccountClient.AuthCookie));
        Assert.Equal("Error: Invalid login attempt.", AccountClient.ErrorMessage(await response.Content.ReadAsStringAsync()));
        Assert.Empty(await factory.DeliveriesForUserAsync(user.Id));
    }

    [Fact]
    public async Task Disabled_user_is_not_allowed_by_the_sign_in_manager()
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("notallowed")), Password);
        await using var scope = factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext =
            new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var signIn = scope.ServiceProvider.GetRequiredService<PortalSignInManager>();
        var stored = (await users.FindByIdAsync(user.Id))!;
        Assert.True((await users.SetEnabledAsync(stored, false)).Succeeded);

        var byName = await signIn.PasswordSignInAsync(user.UserName!, Password, isPersistent: false, lockoutOnFailure: false);
        var byEmail = await signIn.PasswordSignInAsync(user.Email!, Password, isPersistent: false, lockoutOnFailure: false);

        Assert.True(byName.IsNotAllowed, $"Expected NotAllowed, got {byName}.");
        Assert.True(byEmail.IsNotAllowed, $"Expected NotAllowed, got {byEmail}.");
        Assert.False(await signIn.CanSignInAsync(stored));
    }

    [Fact]
    public async Task Successful_sign_in_fires_login_but_not_updated_even_when_it_resets_the_failed_count()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/bookkeeping"), UserAction.LoggedIn | UserAction.Updated);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("reset")), Password);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            await users.AccessFailedAsync(stored);
            Assert.Equal(1, await users.GetAccessFailedCountAsync(stored));
        }

        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);

        await receiver.WaitForRequestToAsync("/bookkeeping", Wait);
        var deliveries = await factory.DeliveriesForUserAsync(user.Id);
        Assert.Equal([UserAction.LoggedIn], deliveries.Select(d => d.Action));
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(0, (await db.Users.SingleAsync(u => u.Id == user.Id)).AccessFailedCount);
        }
    }

    [Fact]
    public async Task Sign_in_that_upgrades_an_old_password_hash_fires_login_but_not_updated()
    {
        await factory.UseOnlyWebhookAsync(receiver.Url("/rehash"), UserAction.LoggedIn | UserAction.Updated);
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("rehash")), Password);
        var v2Hasher = new PasswordHasher<PortalUser>(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2 }));
        var oldHash = v2Hasher.HashPassword(user, Password);
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, oldHash));
        }

        using var browser = AccountClient.For(factory);
        await browser.LoginAsync(user.Email!, Password);

        await receiver.WaitForRequestToAsync("/rehash", Wait);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var newHash = (await db.Users.SingleAsync(u => u.Id == user.Id)).PasswordHash;
            Assert.NotEqual(oldHash, newHash);
            Assert.Equal(0x01, Convert.FromBase64String(newHash!)[0]);
        }

        Assert.Equal([UserAction.LoggedIn], (await factory.DeliveriesForUserAsync(user.Id)).Select(d => d.Action));
    }

    private static void AssertRecentRfc3339(string? value)
    {
        Assert.NotNull(value);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", value);
        var at = DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
