using System.Globalization;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Localization;

/// <summary>
/// Shows stored messages (<see cref="CodedMessage"/>) in the current UI language: the pages in the circuit's, the API in
/// the request's (<c>Accept-Language</c>). Text stored before codes existed, and text from outside, is shown as stored.
/// </summary>
public static class MessageText
{
    /// <summary>
    /// <paramref name="stored"/> (a column holding a coded message or plain text) in the current UI language; null for null.
    /// </summary>
    public static string? Render(string? stored) =>
        CodedMessage.Parse(stored) is { } message ? Render(message) : stored;

    /// <summary><paramref name="message"/> in the current UI language; an unknown code shows as the code and its arguments.</summary>
    public static string Render(CodedMessage message)
    {
        var args = message.Args.Select(Render).ToArray();
        if (!MessageCodes.English.TryGetValue(message.Code, out var english))
        {
            return args.Length == 0 ? message.Code : $"{message.Code}: {string.Join(", ", args)}";
        }

        // A text without arguments is shown as it is: "Malformed variable: write it as {{$$.Field$$}}." is not a format.
        // Fewer arguments than placeholders (a row written by a broken writer) must not break the page.
        var text = UiText.Get(english);
        return args.Length == 0 ? text : string.Format(CultureInfo.CurrentCulture, text, [.. args, .. Enumerable.Repeat("", 4)]);
    }

    /// <summary><paramref name="stored"/> in English whatever the current language: for logs and tests.</summary>
    public static string? English(string? stored)
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            return Render(stored);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    /// <summary><paramref name="message"/> in English whatever the current language: for logs, exception messages and tests.</summary>
    public static string English(CodedMessage message) => English(message.Serialize())!;

    private static string Render(MessageArg arg) =>
        arg.Message is { } nested ? Render(nested)
        : arg.Term is { } term ? UiText.Get(term)
        : arg.Items is { } items ? string.Join(UiText.Get(arg.Separator), items.Select(Render))
        : arg.Text ?? "";
}
