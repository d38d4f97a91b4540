using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebhookPortal.Components.Shared;
using WebhookPortal.Features.Api;
using WebhookPortal.Features.Webhooks;
using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// Form dialogs keep unsaved input: Cancel closes an unchanged one at once and asks before discarding a changed one (a
/// generated signing secret counts), in-app navigation asks too, and destructive confirmations colour their button as an error.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class UnsavedChangesGuardTests : MudBunitContext
{
    private const string Form = ".mud-dialog:not(.mud-message-box)";
    private const string Confirmation = ".mud-message-box";

    [Fact]
    public async Task Cancel_on_an_unchanged_form_closes_it_at_once()
    {
        var (cut, dialog) = await OpenApiTokenDialogAsync();

        await cut.ClickAsync(Form, "Cancel");

        Assert.True((await dialog.Result.WaitAsync(Timeout))!.Canceled);
        Assert.Empty(cut.FindAll(Confirmation));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")), Timeout);
    }

    [Fact]
    public async Task Cancel_on_a_changed_form_asks_and_keep_editing_keeps_what_was_typed()
    {
        var (cut, dialog) = await OpenApiTokenDialogAsync();
        await cut.FillAsync(Form, "Name", "Nightly export");

        await cut.ClickAsync(Form, "Cancel");

        cut.WaitForAssertion(() => Assert.Contains("Discard changes?", cut.Find(Confirmation).TextContent), Timeout);
        await cut.ClickAsync(Confirmation, "Keep editing");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Confirmation)), Timeout);
        Assert.False(dialog.Result.IsCompleted);
        Assert.Equal("Nightly export", cut.Find(Form).ByLabel("Name").GetAttribute("value"));

        await cut.ClickAsync(Form, "Cancel");
        cut.WaitForElement(Confirmation, Timeout);
        await cut.ClickAsync(Confirmation, "Discard");

        Assert.True((await dialog.Result.WaitAsync(Timeout))!.Canceled);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")), Timeout);
    }

    [Fact]
    public async Task A_generated_signing_secret_not_yet_saved_is_a_change()
    {
        var cut = RenderProviders();
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateWebhookDialog>("Create Webhook", UnsavedChangesGuard.Options(MaxWidth.Large)));
        cut.WaitForElement(Form, Timeout);
        await cut.ClickAsync(Form, "Generate signing secret");

        await cut.ClickAsync(Form, "Cancel");

        cut.WaitForAssertion(() => Assert.Contains("Discard changes?", cut.Find(Confirmation).TextContent), Timeout);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task A_dialog_reopened_on_a_refused_save_asks_before_discarding_it()
    {
        var cut = RenderProviders();
        var parameters = new DialogParameters<CreateWebhookDialog>
        {
            { d => d.Model, new WebhookModel { Name = "Taken", Url = "https://example.com/hook" } },
            { d => d.Errors, ["Client crm already has a webhook named Taken."] },
        };
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateWebhookDialog>("Create Webhook", parameters, UnsavedChangesGuard.Options(MaxWidth.Large)));
        cut.WaitForElement(Form, Timeout);

        await cut.ClickAsync(Form, "Cancel");

        cut.WaitForElement(Confirmation, Timeout);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Navigating_away_from_a_changed_form_asks_and_keep_editing_stays()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var (cut, dialog) = await OpenApiTokenDialogAsync();
        await cut.FillAsync(Form, "Name", "Nightly export");
        var before = navigation.Uri;

        await cut.InvokeAsync(() => navigation.NavigateTo("/users"));

        cut.WaitForAssertion(() => Assert.Contains("Discard changes?", cut.Find(Confirmation).TextContent), Timeout);
        await cut.ClickAsync(Confirmation, "Keep editing");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(Confirmation)), Timeout);
        Assert.Equal(before, navigation.Uri);
        Assert.False(dialog.Result.IsCompleted);

        await cut.InvokeAsync(() => navigation.NavigateTo("/users"));
        cut.WaitForElement(Confirmation, Timeout);
        await cut.ClickAsync(Confirmation, "Discard");
        // The navigation completes after the confirmation closed, without a render to wait for.
        await Eventually.MatchesAsync(() => Task.FromResult(navigation.Uri), uri => uri.EndsWith("/users", StringComparison.Ordinal), "the navigation to /users");
    }

    [Fact]
    public async Task Form_dialogs_do_not_close_on_a_click_beside_them_nor_on_MudBlazor_Esc()
    {
        var options = UnsavedChangesGuard.Options(MaxWidth.Medium);

        Assert.Equal((false, false, MaxWidth.Medium, true), (options.BackdropClick, options.CloseOnEscapeKey, options.MaxWidth, options.FullWidth));
        var (cut, dialog) = await OpenApiTokenDialogAsync();
        await cut.ClickElementAsync(".mud-overlay");
        Assert.False(dialog.Result.IsCompleted);
        Assert.Single(cut.FindAll(Form));
    }

    [Fact]
    public async Task A_destructive_confirmation_colours_its_confirm_button_as_an_error_and_returns_the_choice()
    {
        var cut = RenderProviders();

        var asking = cut.InvokeAsync(() => Dialogs.ConfirmDestructiveAsync("Delete webhook", "Delete webhook Nightly?", yesText: "Delete", cancelText: "Cancel"));

        cut.WaitForElement(Confirmation, Timeout);
        var delete = cut.FindAll($"{Confirmation} button").Single(b => b.TextContent.Trim() == "Delete");
        Assert.Contains("mud-button-filled-error", delete.ClassList);
        Assert.DoesNotContain(cut.FindAll($"{Confirmation} button"), b => b.TextContent.Trim() == "Cancel" && b.ClassList.Contains("mud-button-filled-error"));
        await cut.ClickAsync(Confirmation, "Delete");
        Assert.True(await asking.WaitAsync(Timeout));

        asking = cut.InvokeAsync(() => Dialogs.ConfirmDestructiveAsync("Delete webhook", "Delete webhook Nightly?", yesText: "Delete", cancelText: "Cancel"));
        cut.WaitForElement(Confirmation, Timeout);
        await cut.ClickAsync(Confirmation, "Cancel");
        Assert.Null(await asking.WaitAsync(Timeout));
    }

    private async Task<(IRenderedComponent<MudProviders> Cut, IDialogReference Dialog)> OpenApiTokenDialogAsync()
    {
        var cut = RenderProviders();
        var dialog = await cut.InvokeAsync(() => Dialogs.ShowAsync<CreateApiTokenDialog>("Create API token", UnsavedChangesGuard.Options()));
        cut.WaitForElement(Form, Timeout);
        return (cut, dialog);
    }
}
