using System.Globalization;
using Microsoft.AspNetCore.Identity;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Users;

/// <summary>
/// Identity's error texts ("Incorrect password.", "Passwords must have at least one digit ('0'-'9').", …) in the request's
/// language: under Chinese UI cultures from <c>Strings.zh-CN.resx</c>, whose keys are Identity's English texts; under
/// any other culture exactly what <see cref="IdentityErrorDescriber"/> says — except the user-name errors, which say
/// "User name" and the portal's rule (<see cref="UserModel.UserNameRule"/>) as the rest of the portal does. Codes never change, so code that matches on
/// <see cref="IdentityError.Code"/> keeps working. Used by every <c>UserManager</c> of the portal (account pages, Users
/// dialogs, API).
/// </summary>
public sealed class PortalIdentityErrorDescriber : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Localize(base.DefaultError(), "An unknown failure has occurred.");

    public override IdentityError ConcurrencyFailure() =>
        Localize(base.ConcurrencyFailure(), "Someone else changed this user at the same moment; nothing was changed. Load it again and retry.");

    public override IdentityError PasswordMismatch() => Localize(base.PasswordMismatch(), "Incorrect password.");

    public override IdentityError InvalidToken() => Localize(base.InvalidToken(), "Invalid token.");

    public override IdentityError RecoveryCodeRedemptionFailed() =>
        Localize(base.RecoveryCodeRedemptionFailed(), "Recovery code redemption failed.");

    public override IdentityError LoginAlreadyAssociated() =>
        Localize(base.LoginAlreadyAssociated(), "A user with this login already exists.");

    // Identity says "Username" and, for the characters, a rule that is not the portal's; the portal's wording and rule instead.
    public override IdentityError InvalidUserName(string? userName) =>
        Own(base.InvalidUserName(userName), "User name '{0}' is invalid: " + UserModel.UserNameRule, userName);

    public override IdentityError InvalidEmail(string? email) => Localize(base.InvalidEmail(email), "Email '{0}' is invalid.", email);

    public override IdentityError DuplicateUserName(string userName) =>
        Own(base.DuplicateUserName(userName), "User name '{0}' is already taken.", userName);

    public override IdentityError DuplicateEmail(string email) =>
        Localize(base.DuplicateEmail(email), "Email '{0}' is already taken.", email);

    public override IdentityError InvalidRoleName(string? role) =>
        Localize(base.InvalidRoleName(role), "Role name '{0}' is invalid.", role);

    public override IdentityError DuplicateRoleName(string role) =>
        Localize(base.DuplicateRoleName(role), "Role name '{0}' is already taken.", role);

    public override IdentityError UserAlreadyHasPassword() =>
        Localize(base.UserAlreadyHasPassword(), "User already has a password set.");

    public override IdentityError UserLockoutNotEnabled() =>
        Localize(base.UserLockoutNotEnabled(), "Lockout is not enabled for this user.");

    public override IdentityError UserAlreadyInRole(string role) =>
        Localize(base.UserAlreadyInRole(role), "User already in role '{0}'.", role);

    public override IdentityError UserNotInRole(string role) =>
        Localize(base.UserNotInRole(role), "User is not in role '{0}'.", role);

    public override IdentityError PasswordTooShort(int length) =>
        Localize(base.PasswordTooShort(length), "Passwords must be at least {0} characters.", length);

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Localize(base.PasswordRequiresUniqueChars(uniqueChars), "Passwords must use at least {0} different characters.", uniqueChars);

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        Localize(base.PasswordRequiresNonAlphanumeric(), "Passwords must have at least one non alphanumeric character.");

    public override IdentityError PasswordRequiresDigit() =>
        Localize(base.PasswordRequiresDigit(), "Passwords must have at least one digit ('0'-'9').");

    public override IdentityError PasswordRequiresLower() =>
        Localize(base.PasswordRequiresLower(), "Passwords must have at least one lowercase ('a'-'z').");

    public override IdentityError PasswordRequiresUpper() =>
        Localize(base.PasswordRequiresUpper(), "Passwords must have at least one uppercase ('A'-'Z').");

    // English stays Identity's own text (even if a later Identity version rewords it); only Chinese is replaced.
    // Static lookups (UiText) rather than an IStringLocalizer: Identity is also composed in hosts without the UI's
    // localization services (the benchmarks).
    private static IdentityError Own(IdentityError error, string english, params object?[] arguments) =>
        new() { Code = error.Code, Description = UiText.Format(english, arguments) };

    private static IdentityError Localize(IdentityError error, string english, params object?[] arguments) =>
        CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase)
            ? new IdentityError { Code = error.Code, Description = UiText.Format(english, arguments) }
            : error;
}
