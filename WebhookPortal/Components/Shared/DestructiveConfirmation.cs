using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace WebhookPortal.Components.Shared;

/// <summary>
/// Confirmations of actions that delete, revoke, cancel or discard something: MudBlazor's message box with its confirm button
/// filled in the theme's error colour, so it does not read like an ordinary OK.
/// </summary>
public static class DestructiveConfirmation
{
    /// <summary>
    /// Asks <paramref name="message"/> under <paramref name="title"/>. Returns true when <paramref name="yesText"/> was
    /// chosen, null when <paramref name="cancelText"/>, Esc or closing it was (as <see cref="IDialogService.ShowMessageBoxAsync(string, string, string, string, string, DialogOptions)"/>).
    /// </summary>
    public static async Task<bool?> ConfirmDestructiveAsync(this IDialogService dialogs, string title, string message, string yesText, string cancelText)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var parameters = new DialogParameters<MudMessageBox>
        {
            { b => b.Title, title },
            { b => b.Message, message },
            { b => b.CancelText, cancelText },
            { b => b.YesText, yesText },
            { b => b.YesButton, YesButton(yesText) },
        };
        var dialog = await dialogs.ShowAsync<MudMessageBox>(title, parameters);
        var result = await dialog.Result;
        return result is { Canceled: false, Data: bool yes } ? yes : null;
    }

    // The message box passes its yes callback down to this button (MudBaseButton.Activatable), as to its own.
    private static RenderFragment YesButton(string text) => builder =>
    {
        builder.OpenComponent<MudButton>(0);
        builder.AddComponentParameter(1, nameof(MudButton.Color), Color.Error);
        builder.AddComponentParameter(2, nameof(MudButton.Variant), Variant.Filled);
        builder.AddComponentParameter(3, nameof(MudButton.Class), "mud-message-box__yes-button destructive-confirm");
        builder.AddComponentParameter(4, nameof(MudButton.ChildContent), (RenderFragment)(content => content.AddContent(0, text)));
        builder.CloseComponent();
    };
}
