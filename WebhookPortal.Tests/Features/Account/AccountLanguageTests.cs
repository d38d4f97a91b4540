using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Identity;
using WebhookPortal.Features.Users;
using WebhookPortal.Tests.Infrastructure;
using static WebhookPortal.Tests.Infrastructure.UiCulture;

namespace WebhookPortal.Tests.Features.Account;

/// <summary>
/// The static Identity pages answer in the visitor's language all the way down: the DataAnnotations messages of their
/// forms and Identity's own error texts, posted through the real forms of a real portal.
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class AccountLanguageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("zh-CN", "新密码与确认密码不一致。", "当前密码为必填项。")]
    [InlineData("en", "The new password and confirmation password do not match.", "The Current password field is required.")]
    public async Task Change_password_shows_the_validation_messages_in_the_visitors_language(string culture, string mismatch, string required)
    {
        using var account = await SignedInAsync(culture);

        var html = await PostChangePasswordAsync(account, oldPassword: "", newPassword: "Another-Passw0rd!", confirm: "Different-Passw0rd!");

        Assert.Contains(mismatch, html, StringComparison.Ordinal);
        Assert.Contains(required, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "错误：密码不正确。")]
    [InlineData("en", "Error: Incorrect password.")]
    public async Task Change_password_shows_Identitys_error_in_the_visitors_language(string culture, string expected)
    {
        using var account = await SignedInAsync(culture);

        var html = await PostChangePasswordAsync(account, oldPassword: "Not-The-Passw0rd!", newPassword: "Another-Passw0rd!", confirm: "Another-Passw0rd!");

        Assert.Contains(expected, html, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_errors_keep_Identitys_English_and_codes_and_have_Chinese_texts()
    {
        var portal = new PortalIdentityErrorDescriber();
        var identity = new IdentityErrorDescriber();
        var methods = typeof(IdentityErrorDescriber).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.IsVirtual && m.ReturnType == typeof(IdentityError))
            .ToList();
        Assert.True(methods.Count >= 22, $"only {methods.Count} describer methods found");

        // The user-name errors say "User name" and the portal's own rule, as every other text of the portal does.
        var portalWorded = new Dictionary<string, string>
        {
            [nameof(IdentityErrorDescriber.InvalidUserName)] = "User name 'x-name' is invalid: " + UserModel.UserNameRule,
            [nameof(IdentityErrorDescriber.DuplicateUserName)] = "User name 'x-name' is already taken.",
        };
        var problems = new List<string>();
        foreach (var method in methods)
        {
            object?[] arguments = [.. method.GetParameters().Select(p => p.ParameterType == typeof(int) ? (object)7 : "x-name")];
            var (english, expectedEnglish) = InCulture("en", () => (Describe(portal), Describe(identity)));
            var (chinese, _) = InCulture("zh-CN", () => (Describe(portal), Describe(identity)));
            var wanted = portalWorded.GetValueOrDefault(method.Name, expectedEnglish.Description);
            if (english.Description != wanted || english.Code != expectedEnglish.Code)
            {
                problems.Add($"{method.Name}: English \"{english.Description}\" instead of \"{wanted}\"");
            }

            if (chinese.Code != expectedEnglish.Code || chinese.Description == expectedEnglish.Description || !ContainsChinese(chinese.Description))
            {
                problems.Add($"{method.Name}: Chinese text is \"{chinese.Description}\" (code {chinese.Code})");
            }

            IdentityError Describe(IdentityErrorDescriber describer) => (IdentityError)method.Invoke(describer, arguments)!;
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static bool ContainsChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    // A signed-in non-administrator who chose the language through the portal's own culture endpoint (its cookie).
    private async Task<AccountClient> SignedInAsync(string culture)
    {
        var user = await factory.CreateUserAsync(PortalData.NewUser(PortalData.UniqueName("lang")));
        var account = AccountClient.For(factory);
        using (var chosen = await account.Http.GetAsync($"/culture?culture={culture}&redirectUri=%2F"))
        {
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        }

        await account.LoginAsync(user.Email!, "User-Passw0rd!");
        return account;
    }

    private static async Task<string> PostChangePasswordAsync(AccountClient account, string oldPassword, string newPassword, string confirm)
    {
        const string path = "/Account/Manage/ChangePassword";
        var token = await account.AntiforgeryTokenAsync(path);
        using var response = await account.Http.PostAsync(path, new FormUrlEncodedContent(
        [
            new("_handler", "change-password"),
            new("__RequestVerificationToken", token),
            new("Input.OldPassword", oldPassword),
            new("Input.NewPassword", newPassword),
            new("Input.ConfirmPassword", confirm),
        ]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The page encodes non-ASCII text as character references; compare what a reader sees.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
