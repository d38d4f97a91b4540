using MudBlazor;

namespace WebhookPortal.Components.Layout;

/// <summary>The portal's MudBlazor theme.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1f6feb", AppbarBackground = "#1f2937", DrawerBackground = "#f8fafc" },
        PaletteDark = new PaletteDark { Primary = "#58a6ff", AppbarBackground = "#161b22", DrawerBackground = "#0d1117", Background = "#0d1117", Surface = "#161b22" },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "250px" },
        // Material's capitals turn "创建 Webhook" into "创建 WEBHOOK" and shout in English; buttons keep the text's own case.
        Typography = new Typography { Button = new ButtonTypography { TextTransform = "none" } },
    };
}
