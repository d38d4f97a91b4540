namespace WebhookPortal.Resources;

/// <summary>
/// Marker for MudBlazor's own texts in languages MudBlazor does not ship (<c>Resources/MudStrings.zh-CN.resx</c>); keys are
/// MudBlazor's resource names such as <c>MudDataGridPager_RowsPerPage</c>.
/// </summary>
public sealed class MudStrings;
