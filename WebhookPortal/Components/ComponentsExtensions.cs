using MudBlazor.Services;
using WebhookPortal.Features.Api;

namespace WebhookPortal.Components;

/// <summary>Registers and maps the Blazor UI.</summary>
public static class ComponentsExtensions
{
    /// <summary>Adds interactive server components and MudBlazor's services.</summary>
    public static IHostApplicationBuilder AddPortalUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            // A 64 KB Message Body travels from the browser in one SignalR message; the 32 KB default would drop the circuit.
            .AddHubOptions(options => options.MaximumReceiveMessageSize = 512 * 1024);
        builder.Services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.TopRight;
            config.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        return builder;
    }

    /// <summary>Maps static assets, the components and Identity's endpoints.</summary>
    public static WebApplication MapPortalUi(this WebApplication app)
    {
        // The API answers its failures itself, as problem details (ApiProblems); these HTML pages are for the rest.
        app.UseWhen(context => !ApiProblems.IsApi(context), ui =>
        {
            if (!app.Environment.IsDevelopment())
            {
                ui.UseExceptionHandler("/Error", createScopeForErrors: true);
            }

            ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
