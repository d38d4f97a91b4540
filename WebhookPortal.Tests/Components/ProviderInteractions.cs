using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Web;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// User actions on the rendered providers. Each finds its element and fires the event on the renderer's dispatcher,
/// so a render caused by a debounce timer or a database call cannot swap the element out in between.
/// </summary>
internal static class ProviderInteractions
{
    /// <summary>
    /// Bound on every wait for an asynchronous render (database calls, debounced inputs, popovers). Not a measurement: generous,
    /// so a loaded machine does not fail a correct component; a passing test never waits for it.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Types <paramref name="text"/> into the control labelled <paramref name="label"/> inside <paramref name="scope"/>
    /// and leaves it: an input event (immediate fields), a change event (the others), then blur, which commits debounced text.
    /// </summary>
    public static Task FillAsync(this IRenderedComponent<MudProviders> cut, string scope, string label, string text) =>
        cut.InvokeAsync(async () =>
        {
            IElement Control() => cut.Find(scope).ByLabel(label);
            if (Control().HasAttribute("blazor:oninput"))
            {
                await Control().InputAsync(new() { Value = text });
            }

            if (Control().HasAttribute("blazor:onchange"))
            {
                await Control().ChangeAsync(new() { Value = text });
            }

            if (Control().HasAttribute("blazor:onblur"))
            {
                await Control().BlurAsync(new FocusEventArgs());
            }
        });

    /// <summary>
    /// Clicks the button inside <paramref name="scope"/> (anywhere when null) whose text or <c>aria-label</c> is
    /// <paramref name="name"/> and returns its handler's task without waiting for it: a handler that opens a dialog
    /// finishes only when the dialog closes.
    /// </summary>
    public static async Task<Task> ClickAsync(this IRenderedComponent<MudProviders> cut, string? scope, string name)
    {
        var handler = Task.CompletedTask;
        // A statement lambda: InvokeAsync must not await the handler.
        await cut.InvokeAsync(() => { handler = FindButton(cut.FindAll(scope is null ? "button" : scope + " button"), name).ClickAsync(new MouseEventArgs()); });
        return handler;
    }

    /// <summary>
    /// Clicks Cancel inside <paramref name="scope"/> on a form holding unsaved input and answers Discard to the question
    /// "Discard changes?" it asks.
    /// </summary>
    public static async Task CancelAndDiscardAsync(this IRenderedComponent<MudProviders> cut, string scope)
    {
        await cut.ClickAsync(scope, "Cancel");
        cut.WaitForElement(".mud-message-box", Timeout);
        await cut.ClickAsync(".mud-message-box", "Discard");
    }

    /// <summary>Opens the select labelled <paramref name="label"/> inside <paramref name="scope"/> and clicks its option <paramref name="option"/>.</summary>
    public static async Task SelectAsync(this IRenderedComponent<MudProviders> cut, string scope, string label, string option)
    {
        await cut.InvokeAsync(() => cut.Find(scope).ByLabel(label).MouseDownAsync(new MouseEventArgs()));
        // The options render in the popover provider, outside the select.
        cut.WaitForAssertion(() => Assert.Contains(Options(cut), o => Normalize(o.TextContent) == option), Timeout);
        await cut.InvokeAsync(() => Options(cut).Single(o => Normalize(o.TextContent) == option).ClickAsync(new MouseEventArgs()));
    }

    /// <summary>Opens the menu button <paramref name="menu"/> inside <paramref name="scope"/> and clicks its item <paramref name="item"/>.</summary>
    public static async Task<Task> ChooseMenuItemAsync(this IRenderedComponent<MudProviders> cut, string scope, string menu, string item)
    {
        await cut.ClickAsync(scope, menu);
        cut.WaitForAssertion(() => Assert.Contains(MenuItems(cut), o => Normalize(o.TextContent) == item), Timeout);
        var handler = Task.CompletedTask;
        await cut.InvokeAsync(() => { handler = MenuItems(cut).Single(o => Normalize(o.TextContent) == item).ClickAsync(new MouseEventArgs()); });
        return handler;
    }

    /// <summary>Clicks the one element matching <paramref name="selector"/> (a chip, a row) on the renderer's dispatcher.</summary>
    public static Task ClickElementAsync(this IRenderedComponent<MudProviders> cut, string selector) =>
        cut.InvokeAsync(() => cut.Find(selector).ClickAsync(new MouseEventArgs()));

    private static IEnumerable<IElement> MenuItems(IRenderedComponent<MudProviders> cut) => cut.FindAll(".mud-popover-open [role=menuitem]");

    private static IEnumerable<IElement> Options(IRenderedComponent<MudProviders> cut) => cut.FindAll(".mud-popover-open [role=option]");

    private static IElement FindButton(IEnumerable<IElement> buttons, string name)
    {
        var matches = buttons
            .Where(b => b.GetAttribute("aria-label") == name || Normalize(b.TextContent) == name)
            .ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one button \"{name}\", found {matches.Count}.");
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
