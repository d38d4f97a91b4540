using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// A user's life through the browser, seen by a loopback receiver: signing in and out fires LoggedIn and LoggedOut,
/// editing the email fires Updated with ChangedFields, a disabled user cannot sign in, deleting fires Deleted.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class UserLifecycleTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    private const string Body = """
        {"event":"{{$$.Event$$}}","user":"{{$$.Name$$}}","email":"{{$$.Email$$}}","enabled":"{{$$.Enabled$$}}","changed":"{{$$.ChangedFields$$}}","ip":"{{$$.IPAddress$$}}"}
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sign_in_and_out_edit_disable_and_delete_fire_their_webhooks_and_a_disabled_user_cannot_sign_in()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await portal.Factory.AddWebhookAsync(receiver.Url("/events"),
            UserAction.Updated | UserAction.Deleted | UserAction.LoggedIn | UserAction.LoggedOut, body: Body, clientId: "lifecycle-client");
        const string password = "Life-Cycle-1";
        await portal.Factory.CreateUserAsync(PortalData.NewUser("lena", "Lena", "Li"), password);

        await using var admin = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "user-lifecycle-admin");
        await using var lena = await BrowserSession.OpenAsync(chromium, portal.Factory.ServerAddress, "user-lifecycle-user");
        await admin.RunAsync(() => lena.RunAsync(async () =>
        {
            // Lena signs in (no admin: the portal denies her its pages) and out.
            await lena.SignInAsync("lena", password);
            await Expect(lena.Heading("Access denied")).ToBeVisibleAsync();
            await lena.ShotAsync("signed-in-no-access");
            var login = Event(await receiver.WaitForRequestAsync(IsEvent("user.login"), Wait, "user.login"));
            Assert.Equal("lena", login.GetProperty("user").GetString());
            Assert.Equal("127.0.0.1", login.GetProperty("ip").GetString());
            await lena.SignOutAsync();
            await lena.ShotAsync("signed-out");
            var logout = Event(await receiver.WaitForRequestAsync(IsEvent("user.logout"), Wait, "user.logout"));
            Assert.Equal("lena", logout.GetProperty("user").GetString());

            // The administrator changes her email.
            await admin.SignInAsync(PortalFactory.AdminUserName, PortalFactory.AdminPassword, "/users");
            await admin.ExpectPageAsync("Users");
            var edit = await admin.OpenDialogAsync("Edit user lena", "Edit User");
            await BrowserSession.FillAsync(edit.GetByLabel("Email"), "lena.li@example.test");
            await admin.ShotAsync("edit-user");
            await admin.Button("OK", edit).ClickAsync();
            await admin.ExpectToastAsync("User lena saved");
            await Expect(admin.Page.GetByRole(AriaRole.Cell, new() { Name = "lena.li@example.test", Exact = true })).ToBeVisibleAsync();
            var updated = Event(await receiver.WaitForRequestAsync(IsEvent("user.updated"), Wait, "user.updated"));
            Assert.Equal("Email", updated.GetProperty("changed").GetString());
            Assert.Equal("lena.li@example.test", updated.GetProperty("email").GetString());

            // Disabled (after confirming), she cannot sign in: the page says the attempt is invalid and she stays there.
            await admin.Button("Disable user lena").ClickAsync();
            var confirmDisable = admin.Dialog("Disable user");
            await Expect(confirmDisable).ToContainTextAsync("Disable user lena? They can no longer sign in");
            await admin.ShotAsync("confirm-disable");
            await admin.Button("Disable", confirmDisable).ClickAsync();
            await admin.ExpectToastAsync("User lena disabled");
            var row = admin.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "lena.li@example.test" });
            await Expect(row).ToContainTextAsync("Disabled");
            await admin.ShotAsync("user-disabled");
            var disabled = Event(await receiver.WaitForRequestAsync(IsEvent("user.updated"), Wait, "user.updated (disabled)"));
            Assert.Equal("Enabled", disabled.GetProperty("changed").GetString());
            Assert.Equal("false", disabled.GetProperty("enabled").GetString());

            await lena.GotoAsync("/Account/Login", interactive: false);
            await lena.Page.GetByLabel("User name or email").FillAsync("lena");
            await lena.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
            await lena.Button("Sign in").ClickAsync();
            await Expect(lena.Page.GetByText("Error: Invalid login attempt.")).ToBeVisibleAsync();
            await Expect(lena.Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
            await lena.ShotAsync("disabled-sign-in-refused");

            // Deleted, after confirming.
            await admin.Button("Delete user lena").ClickAsync();
            var confirm = admin.Dialog("Delete user");
            await Expect(confirm).ToContainTextAsync("Delete user lena? This cannot be undone.");
            await admin.ShotAsync("confirm-delete");
            await admin.Button("Delete", confirm).ClickAsync();
            await admin.ExpectToastAsync("User lena deleted");
            await Expect(row).ToHaveCountAsync(0);
            await admin.ShotAsync("user-deleted");
            var deleted = Event(await receiver.WaitForRequestAsync(IsEvent("user.deleted"), Wait, "user.deleted"));
            Assert.Equal("lena", deleted.GetProperty("user").GetString());

            // Nothing else fired for her: the refused sign-in is no LoggedIn. (The administrator's own sign-in fired too.)
            Assert.Equal(["user.login", "user.logout", "user.updated", "user.updated", "user.deleted"],
                receiver.Requests.Where(r => Event(r).GetProperty("user").GetString() == "lena").Select(r => r.Header("X-Webhook-Event")));
        }));
    }

    private static Func<ReceivedRequest, bool> IsEvent(string name) => r => r.Header("X-Webhook-Event") == name;

    private static JsonElement Event(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();
}
