using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace WebhookPortal.Features.Localization;

/// <summary>
/// The browser's languages (<c>Accept-Language</c>, best first, at most three as ASP.NET Core's own provider tries) with
/// every Simplified Chinese tag read as <c>zh-CN</c>: browsers send <c>zh</c>, <c>zh-Hans</c>, <c>zh-Hans-CN</c> or
/// <c>zh-SG</c>, and neither is zh-CN nor a parent of it, so the standard parent fallback would give such a reader English.
/// Traditional Chinese tags (zh-Hant, zh-TW, zh-HK, zh-MO) are left as they are; the portal has no Traditional text.
/// </summary>
public sealed class AcceptLanguageCultureProvider : RequestCultureProvider
{
    private const int MaximumLanguagesToTry = 3;

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var header = httpContext.Request.Headers.AcceptLanguage;
        if (!StringWithQualityHeaderValue.TryParseList(header, out var languages) || languages.Count == 0)
        {
            return NullProviderCultureResult;
        }

        var ordered = languages
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1) // a stable sort: equal weights keep the header's order
            .Take(MaximumLanguagesToTry)
            .Select(l => (Microsoft.Extensions.Primitives.StringSegment)ToSupported(l.Value.ToString()))
            .ToList();
        return Task.FromResult(ordered.Count == 0 ? null : new ProviderCultureResult(ordered));
    }

    /// <summary><c>zh-CN</c> for a Simplified Chinese (or bare <c>zh</c>) tag, otherwise <paramref name="tag"/>.</summary>
    public static string ToSupported(string tag)
    {
        if (!tag.Equals("zh", StringComparison.OrdinalIgnoreCase) && !tag.StartsWith("zh-", StringComparison.OrdinalIgnoreCase))
        {
            return tag;
        }

        string[] traditional = ["zh-Hant", "zh-TW", "zh-HK", "zh-MO"];
        return traditional.Any(t => tag.StartsWith(t, StringComparison.OrdinalIgnoreCase)) ? tag : "zh-CN";
    }
}
