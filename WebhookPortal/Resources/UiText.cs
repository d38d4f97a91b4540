using System.Globalization;
using System.Resources;

namespace WebhookPortal.Resources;

/// <summary>
/// The UI texts for code that has no <c>IStringLocalizer</c> at hand: validation messages built in C# (form models,
/// template errors) and DataAnnotations attributes. Reads <see cref="Strings"/> in the current UI culture; English text is
/// the key, and a missing key gives the English text back, so English stays the default.
/// </summary>
public static class UiText
{
    private static readonly ResourceManager Manager = new(typeof(Strings));

    /// <summary>The text for <paramref name="english"/> in the current UI culture.</summary>
    public static string Get(string english) => Manager.GetString(english, CultureInfo.CurrentUICulture) ?? english;

    /// <summary>
    /// <see cref="Get"/> with <c>{0}</c>-style placeholders filled in the current culture; composite format, so a
    /// translation may reorder the placeholders.
    /// </summary>
    public static string Format(string english, params object?[] arguments) =>
        string.Format(CultureInfo.CurrentCulture, Get(english), arguments);
}
