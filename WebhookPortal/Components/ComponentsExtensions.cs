using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using WebhookPortal.Components.Account;
using WebhookPortal.Data;

namespace WebhookPortal.Components;

/// <summary>Registers and maps the Blazor UI.</summary>
public static class ComponentsExtensions
{
    /// <summary>
    /// Adds interactive server components, MudBlazor's services, and what the account pages need besides Identity: the
    /// circuit's authentication state (re-validated against the security stamp), their redirects and their (no-op) mail.
    /// </summary>
    public static IHostApplicationBuilder AddPortalUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            // A 64 KB Message Body travels from the browser in one SignalR message; the 32 KB default would drop the circuit.
            .AddHubOptions(options => options.MaximumReceiveMessageSize = 512 * 1024);
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        builder.Services.AddSingleton<IEmailSender<PortalUser>, IdentityNoOpEmailSender>();
        builder.Services.AddMudServices(config =>
        {
            // Bottom left: the pages' main buttons sit top right and a dialog's buttons bottom right, where a toast would cover them.
            config.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            config.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        return builder;
    }

    /// <summary>Maps static assets, the components and Identity's endpoints.</summary>
    public static WebApplication MapPortalUi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
