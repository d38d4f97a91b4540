using System.Globalization;

namespace WebhookPortal.Tests.Infrastructure;

/// <summary>
/// Runs test code as a request in another language would: both <see cref="CultureInfo.CurrentCulture"/> and
/// <see cref="CultureInfo.CurrentUICulture"/> set to <c>culture</c> ("en", "zh-CN"), the previous ones restored after.
/// </summary>
public static class UiCulture
{
    /// <summary>Returns what <paramref name="read"/> returns under <paramref name="culture"/>.</summary>
    public static T InCulture<T>(string culture, Func<T> read)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return read();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    /// <summary>Runs <paramref name="test"/> under <paramref name="culture"/>.</summary>
    public static void InCulture(string culture, Action test) => InCulture(culture, () =>
    {
        test();
        return true;
    });
}
