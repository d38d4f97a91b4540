using Microsoft.Extensions.Localization;
using MudBlazor;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Localization;

/// <summary>
/// Gives MudBlazor's components (pager, dialogs, pickers) the portal's Chinese texts; for any key without one it reports
/// "not found", so MudBlazor falls back to its built-in English.
/// </summary>
public sealed class PortalMudLocalizer(IStringLocalizer<MudStrings> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];

    public override LocalizedString this[string key, params object[] arguments] => strings[key, arguments];
}
