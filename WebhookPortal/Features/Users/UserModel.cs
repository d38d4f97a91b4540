using System.ComponentModel.DataAnnotations;
using WebhookPortal.Data;
using WebhookPortal.Features.Security;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Users;

/// <summary>What the Create User dialog edits and returns and the API accepts. Identity checks uniqueness and the password policy when saving.</summary>
public sealed class UserModel
{
    /// <summary>Longest first or last name, in characters (the database column's length).</summary>
    public const int NameMaxLength = 100;

    /// <summary>Longest user name, in characters.</summary>
    public const int UserNameMaxLength = 64;

    /// <summary>Longest email address, in characters (Identity's column length).</summary>
    public const int EmailMaxLength = 256;

    /// <summary>Longest password, as in Identity's account pages.</summary>
    public const int PasswordMaxLength = 100;

    /// <summary>
    /// The user name, kept in Unicode normalization form KC: a name typed decomposed (as macOS keyboards give "Zhāng") is the
    /// same name as its composed form, and full-width letters ("Ｗａｎｇ") are the plain ones, so look-alikes cannot be two users.
    /// Text that cannot be normalized (a lone surrogate) is kept as given and refused by <see cref="ValidateUserName"/>.
    /// </summary>
    public string UserName
    {
        get;
        set => field = NormalizeUserName(value);
    } = "";

    public string Email { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Phone { get; set; } = "";
    /// <summary>Required when creating; ignored when editing (use Reset password).</summary>
    public string Password { get; set; } = "";
    public bool Enabled { get; set; } = true;

    /// <summary>When editing: the user's concurrency stamp as it was loaded; a save is refused if someone changed the user since.</summary>
    public string? ConcurrencyStamp { get; set; }

    public static UserModel From(PortalUser user) => new()
    {
        UserName = user.UserName ?? "",
        Email = user.Email ?? "",
        FirstName = user.FirstName,
        LastName = user.LastName,
        Phone = user.PhoneNumber ?? "",
        Enabled = user.Enabled,
        ConcurrencyStamp = user.ConcurrencyStamp,
    };

    /// <summary>The edit form for <paramref name="user"/> as read by <see cref="UserAdministration.FindAsync"/>.</summary>
    public static UserModel From(UserSummary user) => new()
    {
        UserName = user.UserName,
        Email = user.Email,
        FirstName = user.FirstName,
        LastName = user.LastName,
        Phone = user.Phone,
        Enabled = user.Enabled,
        ConcurrencyStamp = user.ConcurrencyStamp,
    };

    /// <summary>
    /// The errors per field (keys are the JSON names the API uses), as the Create/Edit User dialog checks them; the password
    /// only when <paramref name="creating"/>. Empty when the model may be saved (Identity still checks uniqueness and the password policy).
    /// </summary>
    public IReadOnlyDictionary<string, string[]> Errors(bool creating) => FieldErrors.Of(
        ("userName", ValidateUserName(UserName)),
        ("email", ValidateEmail(Email)),
        ("firstName", ValidatePersonName(FirstName)),
        ("lastName", ValidatePersonName(LastName)),
        ("phone", ValidatePhone(Phone)),
        ("password", creating ? ValidatePassword(Password) : []));

    public static IEnumerable<string> ValidateUserName(string? userName)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            yield return UiText.Get("User name is required.");
        }
        else if (userName.Length > UserNameMaxLength)
        {
            yield return UiText.Get("User name must be at most 64 characters.");
        }
        else if (!userName.All(IsUserNameCharacter))
        {
            yield return UiText.Get("User name may only contain letters (Chinese and other scripts too), digits and - . _ @ +");
        }
    }

    private static string NormalizeUserName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? "";
        }

        try
        {
            return value.Normalize(System.Text.NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return value;
        }
    }

    /// <summary>The rule for a user name's characters, in English (a resource key), as <see cref="ValidateUserName"/> words it.</summary>
    public const string UserNameRule = "it may only contain letters (Chinese and other scripts too), digits and - . _ @ +";

    /// <summary>
    /// True for a character a user name may hold: a letter or digit of any script (张伟, Ωmega), or one of <c>- . _ @ +</c>.
    /// Spaces, symbols, control and format characters and surrogates (emoji) are refused. Identity checks the same through
    /// <see cref="PortalUserNameValidator"/>, so no way in accepts other user names.
    /// </summary>
    public static bool IsUserNameCharacter(char c) => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' or '@' or '+';

    public static IEnumerable<string> ValidateEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            yield return UiText.Get("Email is required.");
        }
        else if (email.Length > EmailMaxLength)
        {
            yield return UiText.Get("Email must be at most 256 characters.");
        }
        else if (TextRules.Problem("Email", email) is { } problem)
        {
            yield return problem;
        }
        else if (!new EmailAddressAttribute().IsValid(email))
        {
            yield return UiText.Get("Email is not a valid address.");
        }
    }

    public static IEnumerable<string> ValidatePersonName(string? name)
    {
        if (name?.Length > NameMaxLength)
        {
            yield return UiText.Format("Must be at most {0} characters.", NameMaxLength);
        }
        else if (name?.Any(char.IsControl) == true)
        {
            yield return UiText.Get("Must not contain control characters.");
        }
        else if (name is not null && TextRules.HasLoneSurrogate(name))
        {
            yield return UiText.Get("Must contain only valid text (no pasted binary data or half an emoji).");
        }
    }

    public static IEnumerable<string> ValidatePhone(string? phone)
    {
        if (!string.IsNullOrEmpty(phone) && (phone.Length > 32 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')')))
        {
            yield return UiText.Get("Phone may contain digits, spaces and + - ( ), at most 32 characters.");
        }
    }

    public static IEnumerable<string> ValidatePassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            yield return UiText.Get("Password is required.");
        }
        else if (password.Length > PasswordMaxLength)
        {
            yield return UiText.Format("Password must be at most {0} characters.", PasswordMaxLength);
        }
        else if (TextRules.Problem("Password", password) is { } problem)
        {
            // Identity hashes the password's UTF-8 bytes and throws on text UTF-8 cannot encode.
            yield return problem;
        }
    }
}
