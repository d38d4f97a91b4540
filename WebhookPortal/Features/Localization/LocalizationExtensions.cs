using System.Globalization;
using Microsoft.AspNetCore.Localization;
using MudBlazor;

namespace WebhookPortal.Features.Localization;

/// <summary>
/// Two UI languages, English (default) and Simplified Chinese, chosen by the standard <c>.AspNetCore.Culture</c> cookie.
/// A Blazor Server circuit takes its culture from the request that started it, so changing language sets the cookie
/// through <see cref="CulturePath"/> and reloads the page.
/// </summary>
public static class LocalizationExtensions
{
    /// <summary>The supported cultures; the first is the default.</summary>
    public static readonly IReadOnlyList<string> Cultures = ["en", "zh-CN"];

    /// <summary>GET <c>/culture?culture=zh-CN&amp;redirectUri=/clients</c> sets the culture cookie and redirects back (local URLs only).</summary>
    public const string CulturePath = "/culture";

    /// <summary>Adds <c>IStringLocalizer&lt;T&gt;</c> and MudBlazor's localizer.</summary>
    public static IHostApplicationBuilder AddPortalLocalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        return builder;
    }

    /// <summary>Picks each request's culture (cookie, then Accept-Language, then English) and maps the culture endpoint.</summary>
    public static WebApplication UsePortalLocalization(this WebApplication app)
    {
        app.UseRequestLocalization(options =>
        {
            options.SetDefaultCulture(Cultures[0]).AddSupportedCultures([.. Cultures]).AddSupportedUICultures([.. Cultures]);
            options.FallBackToParentUICultures = true;
            options.FallBackToParentCultures = true;
            // Browsers send zh-Hans-CN or zh, which parent fallback never turns into zh-CN; this provider does.
            var header = options.RequestCultureProviders.OfType<AcceptLanguageHeaderRequestCultureProvider>().First();
            options.RequestCultureProviders[options.RequestCultureProviders.IndexOf(header)] = new AcceptLanguageCultureProvider { Options = options };
        });

        app.MapGet(CulturePath, (HttpContext context, string? culture, string? redirectUri) =>
        {
            if (culture is not null && Cultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
            {
                var chosen = Cultures.First(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase));
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true, Path = "/" });
            }

            return TypedResults.LocalRedirect(IsLocal(redirectUri) ? redirectUri! : "~/");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The culture endpoint's address for switching to <paramref name="culture"/> and coming back to <paramref name="returnTo"/>.</summary>
    public static string CultureUrl(string culture, string returnTo) =>
        $"{CulturePath.TrimStart('/')}?culture={Uri.EscapeDataString(culture)}&redirectUri={Uri.EscapeDataString(returnTo)}";

    /// <summary>The language's own name, as its readers look for it in a menu.</summary>
    public static string NativeName(string culture) => culture == "zh-CN" ? "简体中文" : "English";

    /// <summary>
    /// What separates a sentence ending in a colon from the code or link after it: a space in English, nothing in
    /// Chinese, whose full-width punctuation carries its own space.
    /// </summary>
    public static string SentenceGap => IsChinese ? "" : " ";

    /// <summary>True when the current UI culture is Chinese.</summary>
    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    // Only paths on this site: "/x" but not "//host" or "/\host", which browsers treat as another host.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
