namespace WebhookPortal.Features.Users;

/// <summary>
/// A person's full name for display (never for the template's <c>Name</c>, which is the user name). Names in Chinese,
/// Japanese or Korean script are written family name first with no space (张伟), as they are in any language's text;
/// other names given name first with a space (Na Li), which is also how Chinese text writes a Latin-spelled name.
/// </summary>
public static class PersonName
{
    /// <summary>
    /// The full name from <paramref name="firstName"/> (given name) and <paramref name="lastName"/> (family name);
    /// either may be empty; empty when both are.
    /// </summary>
    public static string Full(string? firstName, string? lastName)
    {
        var given = firstName?.Trim() ?? "";
        var family = lastName?.Trim() ?? "";
        return IsEastAsian(given) || IsEastAsian(family)
            ? family + given
            : $"{given} {family}".Trim();
    }

    private static bool IsEastAsian(string text)
    {
        foreach (var c in text)
        {
            if (c is (>= '\u4E00' and <= '\u9FFF') // CJK unified ideographs
                or (>= '\u3400' and <= '\u4DBF') // extension A
                or (>= '\uF900' and <= '\uFAFF') // compatibility ideographs
                or (>= '\u3040' and <= '\u30FF') // hiragana, katakana
                or (>= '\uAC00' and <= '\uD7AF') // hangul syllables
                or (>= '\uD840' and <= '\uD87F')) // first half of a supplementary ideograph (extension B and later)
            {
                return true;
            }
        }

        return false;
    }
}
