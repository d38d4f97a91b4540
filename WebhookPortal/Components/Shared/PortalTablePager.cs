using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Localization;
using MudBlazor;
using WebhookPortal.Resources;

namespace WebhookPortal.Components.Shared;

/// <summary>
/// MudBlazor's table pager in the portal's language. An empty table already says so in its own words, so the pager then
/// shows no range instead of "0-0 of 0" (第 0-0 条，共 0 条).
/// </summary>
public sealed class PortalTablePager : MudTablePager
{
    [Inject]
    private IStringLocalizer<Strings> L { get; set; } = default!;

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        RowsPerPageString = L["Rows per page:"];
    }

    // The table re-renders only its pager when its rows change, so the count is read here, not in OnParametersSet.
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        InfoFormat = Table?.GetFilteredItemsCount() > 0 ? L["{first_item}-{last_item} of {all_items}"] : "";
        base.BuildRenderTree(builder);
    }
}
