using WebhookPortal.Resources;

namespace WebhookPortal.Features.Security;

/// <summary>
/// What typed or pasted text may hold. Text is stored as UTF-8, so a lone UTF-16 surrogate (half an emoji,
/// or pasted binary) cannot be kept as typed, and a control character (NUL, escape, a line break in a name) is never meant.
/// </summary>
public static class TextRules
{
    /// <summary>The message for text holding a lone surrogate.</summary>
    public const string InvalidTextMessage = "contains characters that are not valid text (pasted binary data or half an emoji).";

    /// <summary>The message for one-line text holding a control character.</summary>
    public const string ControlCharacterMessage = "must not contain control characters such as NUL, tabs or line breaks.";

    /// <summary>The message for multi-line text holding a control character other than tab and line breaks.</summary>
    public const string MultiLineControlCharacterMessage = "must not contain control characters such as NUL (tabs and line breaks are fine).";

    /// <summary>True when <paramref name="text"/> holds a UTF-16 surrogate without its partner, which UTF-8 cannot encode.</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why <paramref name="text"/> cannot be kept as the field <paramref name="field"/> (e.g. "Name … must not …"), or
    /// null when it can. <paramref name="multiLine"/> allows tab, CR and LF.
    /// </summary>
    public static string? Problem(string field, string? text, bool multiLine = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (HasLoneSurrogate(text))
        {
            return UiText.Format("{0} contains characters that are not valid text (pasted binary data or half an emoji).", UiText.Get(field));
        }

        if (text.Any(c => char.IsControl(c) && !(multiLine && c is '\t' or '\r' or '\n')))
        {
            return multiLine
                ? UiText.Format("{0} must not contain control characters such as NUL (tabs and line breaks are fine).", UiText.Get(field))
                : UiText.Format("{0} must not contain control characters such as NUL, tabs or line breaks.", UiText.Get(field));
        }

        return null;
    }
}
