using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Localization;
using MudBlazor;
using WebhookPortal.Resources;

namespace WebhookPortal.Components.Shared;

/// <summary>
/// MudBlazor's table pager in the portal's language. An empty table shows "0 items" (共 0 条) instead of the range
/// "0-0 of 0" (第 0-0 条，共 0 条). MudBlazor replaces an info format without any of its placeholders by its own, so
/// the empty text keeps {all_items}.
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
        InfoFormat = Table?.GetFilteredItemsCount() > 0 ? L["{first_item}-{last_item} of {all_items}"] : L["{all_items} items"];
        base.BuildRenderTree(builder);
    }
}
