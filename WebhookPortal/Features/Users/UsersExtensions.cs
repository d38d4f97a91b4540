using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Identity;
using WebhookPortal.Data;
using WebhookPortal.Features.Security;

namespace WebhookPortal.Features.Users;

/// <summary>
/// Registers ASP.NET Core Identity with the portal's user and sign-in managers; the account pages' own services (their
/// authentication state, redirects, mail) are the UI's, registered by <c>AddPortalUi</c>.
/// </summary>
public static class UsersExtensions
{
    /// <summary>
    /// Adds Identity (cookies, roles, <see cref="PortalUserManager"/>, <see cref="PortalSignInManager"/>), the Read and Administer policies
    /// and <see cref="UserAdministration"/>.
    /// </summary>
    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            // Signing in on the login page redirects to its ReturnUrl, which may hold non-ASCII text a Location header cannot.
            var redirect = options.Events.OnRedirectToReturnUrl;
            options.Events.OnRedirectToReturnUrl = context =>
            {
                context.RedirectUri = AsciiUrl.Encode(context.RedirectUri);
                return redirect(context);
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalRoles.ReadPolicy, policy => policy.RequireRole(PortalRoles.Administrator, PortalRoles.Auditor))
            .AddPolicy(PortalRoles.AdministerPolicy, policy => policy.RequireRole(PortalRoles.Administrator));

        services.AddPortalIdentityCore();
        // Cookie sessions re-check the security stamp every minute, so disabling or deleting a user ends their sessions quickly.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddHttpContextAccessor();
        services.AddSingleton<UserAdministration>();
        services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section);
        return builder;
    }

    /// <summary>
    /// Maps <c>/api/v1/users</c>: list, get, create, update, delete, enable, disable, reset-password, role; each change fires webhooks as the UI does.
    /// </summary>
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        UsersApi.Map(api);
        return api;
    }

    /// <summary>
    /// Identity's stores, <see cref="PortalUserManager"/> and <see cref="PortalSignInManager"/> with the portal's options,
    /// without the cookie schemes. Shared with the component tests, so they run the same user rules as the app.
    /// </summary>
    internal static IdentityBuilder AddPortalIdentityCore(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => new PasswordHashingGate(PasswordHashingGate.DefaultWidth));
        return services.AddIdentityCore<PortalUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                // Identity's list is ASCII only and cannot name "any letter"; PortalUserNameValidator checks the portal's rule.
                options.User.AllowedUserNameCharacters = "";
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddUserManager<PortalUserManager>()
            .AddSignInManager<PortalSignInManager>()
            .AddErrorDescriber<PortalIdentityErrorDescriber>()
            .AddUserValidator<PortalUserNameValidator>()
            .AddDefaultTokenProviders();
    }
}
