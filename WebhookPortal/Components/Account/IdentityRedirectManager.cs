using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using WebhookPortal.Data;
using WebhookPortal.Resources;

namespace WebhookPortal.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalOrHome(uri));

    /// <summary>
    /// <paramref name="uri"/> as a path on this portal, or "" (the home page) when it leads anywhere else: another host
    /// (<c>https://evil.example/</c>, <c>//evil.example</c>, <c>/\evil.example</c>, which browsers read as a host), another
    /// scheme (<c>javascript:</c>), or text that is no URL. An absolute URL under the portal's base becomes relative.
    /// </summary>
    private string LocalOrHome(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return "";
        }

        if (Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute.AbsoluteUri.StartsWith(navigationManager.BaseUri, StringComparison.OrdinalIgnoreCase)
                ? navigationManager.ToBaseRelativePath(absolute.AbsoluteUri)
                : "";
        }

        return Uri.IsWellFormedUriString(uri, UriKind.Relative) && !uri.StartsWith("//", StringComparison.Ordinal) && !uri.Contains('\\')
            ? uri
            : "";
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<PortalUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", UiText.Format("Error: Unable to load user with ID '{0}'.", userManager.GetUserId(context.User)), context);
}
