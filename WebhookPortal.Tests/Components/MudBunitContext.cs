using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using WebhookPortal.Features.Localization;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// A bUnit context with MudBlazor's services, loose JS interop (MudBlazor calls JS for focus, popovers and resize
/// observers that a test does not need answered) and snackbar and popover transitions shortened to nothing.
/// </summary>
public abstract class MudBunitContext : BunitContext, IAsyncLifetime
{
    /// <inheritdoc cref="ProviderInteractions.Timeout"/>
    protected static readonly TimeSpan Timeout = ProviderInteractions.Timeout;

    protected MudBunitContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Every component injects IStringLocalizer<Strings>; English (the default) is what these tests read.
        Services.AddLocalization();
        Services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        Services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.ShowTransitionDuration = 0;
            config.SnackbarConfiguration.HideTransitionDuration = 0;
            config.PopoverOptions.Duration = TimeSpan.Zero;
        });
    }

    /// <summary>Renders the popover, dialog and snackbar providers (and <typeparamref name="TComponent"/> below them).</summary>
    protected IRenderedComponent<MudProviders> RenderWithProviders<TComponent>()
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        Render<MudProviders>(p => p.AddChildContent<TComponent>());

    /// <summary>Renders the providers alone, for dialogs opened through <see cref="IDialogService"/>.</summary>
    protected IRenderedComponent<MudProviders> RenderProviders() => Render<MudProviders>();

    protected IDialogService Dialogs => Services.GetRequiredService<IDialogService>();

    /// <summary>Runs before each test, after the constructor registered the services.</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// Some MudBlazor services are only <see cref="IAsyncDisposable"/>, and xunit 2 disposes a test class synchronously;
    /// disposing asynchronously first leaves the later <see cref="IDisposable.Dispose"/> nothing to do.
    /// </summary>
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
