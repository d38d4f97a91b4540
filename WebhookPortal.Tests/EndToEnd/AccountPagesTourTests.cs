using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// Issue 6 for Identity's static account pages: a visitor walks every page they can reach, signed out and then signed in
/// as a non-administrator with two-factor authentication, in English and Chinese, wide and light or narrow and dark.
/// Every page is photographed and checked (<see cref="PageChecks"/>, plus no English sentences under zh-CN and no
/// console errors); the problems of a whole tour are reported together.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", TestCategories.Browser)]
public sealed class AccountPagesTourTests(Chromium chromium, KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    private const string UserPassword = "User-Passw0rd!";

    // Three or more English words in a row, in visible text outside user content: a sentence nobody translated (the
    // resource-based check only knows texts that are keys).
    private const string FindEnglishSentences = """
        () => {
          const skip = 'script, style, pre, code, kbd, [data-user-content]';
          const found = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent.trim();
            const parent = node.parentElement;
            if (!text || !parent || parent.closest(skip) || parent.getClientRects().length === 0) continue;
            if (parent.checkVisibility && !parent.checkVisibility({ visibilityProperty: true })) continue;
            if (/[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(text)) found.push(text);
          }
          return found;
        }
        """;

    [Theory]
    [InlineData("en", 1280, false)]
    [InlineData("zh-CN", 1280, false)]
    [InlineData("zh-CN", 768, true)]
    public async Task Every_account_page_is_finished(string culture, int width, bool dark)
    {
        var (user, recoveryCode) = await TwoFactorUserAsync();
        await using var browser = await BrowserSession.OpenAsync(
            chromium, portal.Factory.ServerAddress, $"account-tour-{culture}-{width}{(dark ? "-dark" : "")}", culture, width, dark);
        var page = browser.Page;
        var problems = new List<string>();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (consoleErrors)
                {
                    consoleErrors.Add($"{page.Url}: {message.Text}");
                }
            }
        };

        async Task LookAsync(string name)
        {
            await browser.ShotAsync(name);
            try
            {
                await PageChecks.ExpectFinishedAsync(page, culture);
            }
            catch (XunitException e)
            {
                problems.Add(e.Message);
            }

            if (culture != "en")
            {
                problems.AddRange((await page.EvaluateAsync<string[]>(FindEnglishSentences))
                    .Select(text => $"{page.Url}: English left: \"{text}\""));
            }
        }

        async Task OpenAsync(string path, string heading)
        {
            await browser.GotoAsync(path, interactive: false);
            await ExpectHeadingAsync(heading);
        }

        async Task ExpectHeadingAsync(string heading) =>
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = browser.Text(heading), Exact = true })).ToBeVisibleAsync();

        async Task ExpectTextAsync(string text) =>
            await Expect(page.GetByText(text, new() { Exact = false }).First).ToBeVisibleAsync();

        string Message(string english, params object[] arguments) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, browser.Text(english), arguments);

        ILocator Field(string label) => page.GetByLabel(browser.Text(label), new() { Exact = true });

        await browser.RunAsync(async () =>
        {
            // Signed out. The portal runs on 127.0.0.1, where WebAuthn refuses to work: no passkey button, no errors.
            await OpenAsync("/Account/Login", "Sign in");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = browser.Text("Log in with a passkey") })).ToBeHiddenAsync();
            await LookAsync("login");

            await OpenAsync("/Account/ForgotPassword", "Forgot your password?");
            await Field("Email").FillAsync("not-an-email");
            await browser.Button(browser.Text("Reset password")).ClickAsync();
            await ExpectTextAsync(Message("The {0} field is not a valid e-mail address.", browser.Text("Email")));
            await LookAsync("forgot-password-invalid");

            await Field("Email").FillAsync(PortalFactory.AdminEmail);
            await browser.Button(browser.Text("Reset password")).ClickAsync();
            await ExpectHeadingAsync("Forgot password confirmation");
            await LookAsync("forgot-password-confirmation");

            await OpenAsync("/Account/ResetPassword?code=" + Convert.ToBase64String("not a reset token"u8.ToArray()).TrimEnd('='), "Reset password");
            await Field("Email").FillAsync(PortalFactory.AdminEmail);
            await Field("New password").FillAsync("Another-Passw0rd!");
            await Field("Confirm new password").FillAsync("Different-Passw0rd!");
            await browser.Button(browser.Text("Reset")).ClickAsync();
            await ExpectTextAsync(browser.Text("The new password and confirmation password do not match."));
            await LookAsync("reset-password-mismatch");

            await Field("New password").FillAsync("Another-Passw0rd!");
            await Field("Confirm new password").FillAsync("Another-Passw0rd!");
            await browser.Button(browser.Text("Reset")).ClickAsync();
            await ExpectTextAsync(browser.Text("Invalid token."));
            await LookAsync("reset-password-bad-code");

            await OpenAsync("/Account/ResetPassword?code=a", "Invalid password reset");
            await LookAsync("invalid-password-reset");
            await OpenAsync("/Account/ResetPasswordConfirmation", "Reset password confirmation");
            await LookAsync("reset-password-confirmation");
            await OpenAsync("/Account/Lockout", "Locked out");
            await LookAsync("lockout");
            await OpenAsync("/Account/InvalidUser", "Invalid user");
            await LookAsync("invalid-user");
            await OpenAsync("/Account/Register", "Register");
            await LookAsync("register-turned-off");
            await OpenAsync("/Account/ResendEmailConfirmation", "Resend email confirmation");
            await LookAsync("resend-email-confirmation");
            await OpenAsync("/Account/ConfirmEmailChange", "Sign in");
            await ExpectTextAsync(browser.Text("Error: Invalid email change confirmation link."));
            await LookAsync("confirm-email-change-invalid");

            // Signing in with two-factor authentication, by a recovery code; the non-administrator then meets Access denied.
            await Field("User name or email").FillAsync(user.UserName!);
            await page.GetByLabel(browser.Text("Password"), new() { Exact = true }).FillAsync(UserPassword);
            await browser.Button(browser.Text("Sign in")).ClickAsync();
            await ExpectHeadingAsync("Two-factor authentication");
            await browser.Button(browser.Text("Sign in")).ClickAsync();
            await ExpectTextAsync(Message("The {0} field is required.", browser.Text("Authenticator code")));
            await LookAsync("login-with-2fa-empty");

            await page.GetByRole(AriaRole.Link, new() { Name = browser.Text("Sign in with a recovery code") }).ClickAsync();
            await ExpectHeadingAsync("Recovery code verification");
            await LookAsync("login-with-recovery-code");
            await Field("Recovery code").FillAsync(recoveryCode);
            await browser.Button(browser.Text("Sign in")).ClickAsync();
            await ExpectHeadingAsync("Access denied");
            await LookAsync("access-denied");

            // Every page of Manage your account.
            await OpenAsync("/Account/Manage", "Profile");
            await LookAsync("manage-profile");
            await OpenAsync("/Account/Manage/Email", "Manage email");
            await LookAsync("manage-email");

            await OpenAsync("/Account/Manage/ChangePassword", "Change password");
            await Field("New password").FillAsync("Another-Passw0rd!");
            await Field("Confirm new password").FillAsync("Different-Passw0rd!");
            await browser.Button(browser.Text("Update password")).ClickAsync();
            await ExpectTextAsync(browser.Text("The new password and confirmation password do not match."));
            await ExpectTextAsync(Message("The {0} field is required.", browser.Text("Current password")));
            // Once, under its field: not again in a list on top.
            await Expect(page.GetByText(browser.Text("The new password and confirmation password do not match."))).ToHaveCountAsync(1);
            await Expect(Field("New password")).ToHaveAccessibleDescriptionAsync(browser.Text("At least 6 characters with an upper-case letter, a lower-case letter, a digit and a symbol."));
            await LookAsync("manage-change-password-invalid");

            await Field("Current password").FillAsync("Not-The-Passw0rd!");
            await Field("New password").FillAsync("Another-Passw0rd!");
            await Field("Confirm new password").FillAsync("Another-Passw0rd!");
            await browser.Button(browser.Text("Update password")).ClickAsync();
            await ExpectTextAsync(browser.Text("Error: Incorrect password."));
            await LookAsync("manage-change-password-wrong");

            await OpenAsync("/Account/Manage/TwoFactorAuthentication", "Two-factor authentication (2FA)");
            await LookAsync("manage-2fa");
            await OpenAsync("/Account/Manage/EnableAuthenticator", "Configure authenticator app");
            await LookAsync("manage-enable-authenticator");
            await OpenAsync("/Account/Manage/Disable2fa", "Disable two-factor authentication (2FA)");
            await LookAsync("manage-disable-2fa");
            await OpenAsync("/Account/Manage/ResetAuthenticator", "Reset authenticator key");
            await LookAsync("manage-reset-authenticator");
            await OpenAsync("/Account/Manage/GenerateRecoveryCodes", "Generate two-factor authentication (2FA) recovery codes");
            await LookAsync("manage-generate-recovery-codes");
            await browser.Button(browser.Text("Generate recovery codes")).ClickAsync();
            await ExpectHeadingAsync("Recovery codes");
            await LookAsync("manage-recovery-codes");

            await OpenAsync("/Account/Manage/Passkeys", "Manage your passkeys");
            await Expect(page.GetByText(browser.Text("Passkeys work only on a secure address with a domain name (https, or localhost); this address cannot use them."))).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = browser.Text("Add a new passkey") })).ToBeHiddenAsync();
            await LookAsync("manage-passkeys");
            await OpenAsync("/Account/Manage/RenamePasskey/not-a-passkey", "Manage your passkeys");
            await ExpectTextAsync(browser.Text("Error: The specified passkey ID had an invalid format."));
            await LookAsync("manage-rename-passkey-unknown");

            await OpenAsync("/Account/Manage/ExternalLogins", "External logins");
            await LookAsync("manage-external-logins");
            await OpenAsync("/Account/Manage/PersonalData", "Personal data");
            await LookAsync("manage-personal-data");
            await OpenAsync("/Account/Manage/DeletePersonalData", "Delete personal data");
            await Field("Password").FillAsync("Not-The-Passw0rd!");
            await browser.Button(browser.Text("Delete data and close my account")).ClickAsync();
            await ExpectTextAsync(browser.Text("Error: Incorrect password."));
            await LookAsync("manage-delete-personal-data-wrong");

            await page.GetByRole(AriaRole.Button, new() { Name = browser.Text("Sign out"), Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
            await ExpectHeadingAsync("Sign in");
        });

        lock (consoleErrors)
        {
            problems.AddRange(consoleErrors.Select(error => "Console error: " + error));
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):{Environment.NewLine}" + string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Passkey_sign_in_is_offered_on_localhost()
    {
        var localhost = new UriBuilder(portal.Factory.ServerAddress) { Host = "localhost" }.Uri;
        await using var browser = await BrowserSession.OpenAsync(chromium, localhost, "account-passkeys-localhost");
        var consoleErrors = new List<string>();
        browser.Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (consoleErrors)
                {
                    consoleErrors.Add(message.Text);
                }
            }
        };

        await browser.RunAsync(async () =>
        {
            await browser.GotoAsync("/Account/Login", interactive: false);
            await Expect(browser.Button("Log in with a passkey")).ToBeVisibleAsync();
            await browser.ShotAsync("login");
        });

        lock (consoleErrors)
        {
            Assert.Empty(consoleErrors);
        }
    }

    // A non-administrator with an authenticator and recovery codes; one code is returned for signing in.
    private async Task<(PortalUser User, string RecoveryCode)> TwoFactorUserAsync()
    {
        var user = await portal.Factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("tour")), UserPassword);
        await using var scope = portal.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var stored = await users.FindByIdAsync(user.Id) ?? throw new InvalidOperationException("The user just created is gone.");
        await users.ResetAuthenticatorKeyAsync(stored);
        await users.SetTwoFactorEnabledAsync(stored, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(stored, 10) ?? throw new InvalidOperationException("No recovery codes.");
        return (stored, codes.First());
    }
}
