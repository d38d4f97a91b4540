using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using WebhookPortal.Data;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// The portal's pages that only administrators may open, read from the app itself: every component with a
/// <see cref="RouteAttribute"/> and an <see cref="AuthorizeAttribute"/> naming the Admin role or the Read or Administer policy, unless it also
/// allows anonymous visitors (the single sign-on pages, which sit among the features). A new admin page is on the list
/// without anyone adding it.
/// </summary>
internal static partial class AdminPages
{
    /// <summary>
    /// Each admin page's route template, a path to it with its parameters filled in (a Guid.Empty id, a made-up name),
    /// and its component's name.
    /// </summary>
    public static IReadOnlyList<(string Template, string Path, string Name)> All { get; } =
    [
        .. typeof(Program).Assembly.GetTypes()
            .Where(type => typeof(IComponent).IsAssignableFrom(type) && type.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Any(RequiresAdmin)
                && !type.IsDefined(typeof(AllowAnonymousAttribute), inherit: true))
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>().Select(route => (route.Template, Fill(route.Template), type.Name)))
            .OrderBy(page => page.Template, StringComparer.Ordinal),
    ];

    // Read admits auditors too; either way a visitor without a role is refused.
    private static bool RequiresAdmin(AuthorizeAttribute authorize) =>
        authorize.Policy is PortalRoles.ReadPolicy or PortalRoles.AdministerPolicy
        || (authorize.Roles ?? "").Split(',', StringSplitOptions.TrimEntries).Contains(AdminOptions.Role);

    private static string Fill(string template) =>
        Parameter().Replace(template, m => m.Groups["constraint"].Value switch
        {
            "guid" => Guid.Empty.ToString(),
            "int" or "long" => "1",
            _ => "some-" + m.Groups["name"].Value.ToLowerInvariant(),
        });

    [GeneratedRegex(@"\{\*{0,2}(?<name>\w+)(?::(?<constraint>\w+))?\??\}")]
    private static partial Regex Parameter();
}
