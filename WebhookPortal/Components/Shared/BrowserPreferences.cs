namespace WebhookPortal.Components.Shared;

/// <summary>
/// What the browser told the server in cookies set by <c>wwwroot/js/preferences.js</c>: its IANA time zone and the
/// chosen theme. Read once when a page loads (App.razor) and cascaded to every component.
/// </summary>
/// <param name="TimeZoneId">IANA zone such as <c>Asia/Shanghai</c>; null or unknown means UTC.</param>
/// <param name="Dark">True for the dark theme.</param>
public sealed record BrowserPreferences(string? TimeZoneId, bool Dark)
{
    /// <summary>Cookie names.</summary>
    public const string TimeZoneCookie = "portal-tz", ThemeCookie = "portal-theme";

    /// <summary>The browser's zone, or null when unknown (times are then shown in UTC).</summary>
    public TimeZoneInfo? Zone { get; } = Find(TimeZoneId);

    /// <summary>Reads the cookies of a request.</summary>
    public static BrowserPreferences From(IRequestCookieCollection cookies) =>
        new(cookies[TimeZoneCookie], cookies[ThemeCookie] == "dark");

    private static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }
}
