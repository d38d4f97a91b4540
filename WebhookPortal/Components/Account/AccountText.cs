using WebhookPortal.Resources;

namespace WebhookPortal.Components.Account;

/// <summary>
/// Validation messages and display names of the Identity pages' input models, in the request's language:
/// <c>[Compare(nameof(NewPassword), ErrorMessageResourceType = typeof(AccountText), ErrorMessageResourceName = nameof(AccountText.PasswordsDiffer))]</c>.
/// </summary>
/// <remarks>
/// Blazor's <c>DataAnnotationsValidator</c> (in .NET 10 still) does not ask <c>IStringLocalizer</c> for messages, and MVC's
/// <c>AddDataAnnotationsLocalization</c> does not reach it (dotnet/aspnetcore#12158). What it does honour is the attributes'
/// own resource lookup: <c>ErrorMessageResourceType</c>/<c>ErrorMessageResourceName</c> and <c>Display(ResourceType)</c>
/// read a public static string property each time a field is validated, so these properties, which read
/// <c>Strings.resx</c> in the current UI culture, give each request its own language. The keys are the English texts, as
/// everywhere in the portal.
/// </remarks>
public static class AccountText
{
    /// <summary>Required: "The {0} field is required." ({0} = display name).</summary>
    public static string Required => UiText.Get("The {0} field is required.");

    /// <summary>StringLength without a minimum: {0} = display name, {1} = maximum length.</summary>
    public static string MaxLength => UiText.Get("The {0} must be at most {1} characters long.");

    /// <summary>StringLength with a minimum: {0} = display name, {1} = maximum, {2} = minimum length.</summary>
    public static string LengthBetween => UiText.Get("The {0} must be at least {2} and at max {1} characters long.");

    /// <summary>EmailAddress: {0} = display name.</summary>
    public static string InvalidEmail => UiText.Get("The {0} field is not a valid e-mail address.");

    /// <summary>Phone: {0} = display name.</summary>
    public static string InvalidPhone => UiText.Get("The {0} field is not a valid phone number.");

    /// <summary>Compare on a confirmation password.</summary>
    public static string PasswordsDiffer => UiText.Get("The new password and confirmation password do not match.");

    /// <summary>Compare on the registration form's confirmation password.</summary>
    public static string PasswordAndConfirmationDiffer => UiText.Get("The password and confirmation password do not match.");

    /// <summary>StringLength of a passkey name: {1} = maximum length.</summary>
    public static string PasskeyNameTooLong => UiText.Get("Passkey names must be no longer than {1} characters.");

    /// <summary>Display name.</summary>
    public static string Email => UiText.Get("Email");

    /// <summary>Display name.</summary>
    public static string NewEmail => UiText.Get("New email");

    /// <summary>Display name.</summary>
    public static string Password => UiText.Get("Password");

    /// <summary>Display name.</summary>
    public static string UserNameOrEmail => UiText.Get("User name or email");

    /// <summary>Display name.</summary>
    public static string RememberMe => UiText.Get("Remember me?");

    /// <summary>Display name.</summary>
    public static string CurrentPassword => UiText.Get("Current password");

    /// <summary>Display name.</summary>
    public static string NewPassword => UiText.Get("New password");

    /// <summary>Display name.</summary>
    public static string ConfirmPassword => UiText.Get("Confirm password");

    /// <summary>Display name.</summary>
    public static string ConfirmNewPassword => UiText.Get("Confirm new password");

    /// <summary>Display name.</summary>
    public static string PhoneNumber => UiText.Get("Phone number");

    /// <summary>Display name.</summary>
    public static string VerificationCode => UiText.Get("Verification code");

    /// <summary>Display name.</summary>
    public static string AuthenticatorCode => UiText.Get("Authenticator code");

    /// <summary>Display name.</summary>
    public static string RememberThisMachine => UiText.Get("Remember this machine");

    /// <summary>Display name.</summary>
    public static string RecoveryCode => UiText.Get("Recovery code");

    /// <summary>Display name.</summary>
    public static string PasskeyName => UiText.Get("Passkey name");
}
