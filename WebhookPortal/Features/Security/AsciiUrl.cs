using System.Globalization;
using System.Text;

namespace WebhookPortal.Features.Security;

/// <summary>
/// A URL fit for a <c>Location</c> header: Kestrel fails an answer (500) whose header holds a non-ASCII character, while a
/// local URL taken from a query string (<c>ReturnUrl=/clients/café</c>) may hold any text.
/// </summary>
public static class AsciiUrl
{
    /// <summary>
    /// <paramref name="url"/> with every non-ASCII character percent-encoded as UTF-8 (<c>/café</c> → <c>/caf%C3%A9</c>, a lone
    /// surrogate as U+FFFD); ASCII, including existing <c>%XX</c> escapes, is kept as it is. The same string when it is all ASCII.
    /// </summary>
    public static string Encode(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.All(char.IsAscii))
        {
            return url;
        }

        var builder = new StringBuilder(url.Length * 3);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                builder.Append((char)rune.Value);
                continue;
            }

            foreach (var b in bytes[..rune.EncodeToUtf8(bytes)])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
