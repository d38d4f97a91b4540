using AngleSharp.Dom;

namespace WebhookPortal.Tests.Components;

/// <summary>
/// Finds form controls the way assistive technology and Playwright's <c>GetByLabel</c> do: by accessible name
/// (<c>aria-labelledby</c>, then <c>aria-label</c>, then <c>&lt;label for&gt;</c> or an enclosing label).
/// </summary>
internal static class AccessibleNames
{
    private const string ControlSelector =
        "input:not([type=hidden]), textarea, select, [role=combobox], [role=textbox], [role=switch], [role=checkbox]";

    /// <summary>The controls a user can reach in <paramref name="root"/>, skipping those styled <c>display:none</c>.</summary>
    public static IReadOnlyList<IElement> Controls(IElement root) =>
        [.. root.QuerySelectorAll(ControlSelector).Where(e => !IsDisplayNone(e))];

    /// <summary>The accessible name of <paramref name="control"/>, or null when it has none.</summary>
    public static string? NameOf(IElement control)
    {
        var document = RootOf(control);
        if (control.GetAttribute("aria-labelledby") is { Length: > 0 } ids)
        {
            return Normalize(string.Join(" ", ids.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(id => document.QuerySelector($"[id='{id}']")?.TextContent ?? "")));
        }

        if (control.GetAttribute("aria-label") is { } ariaLabel && !string.IsNullOrWhiteSpace(ariaLabel))
        {
            return Normalize(ariaLabel);
        }

        if (control.Id is { Length: > 0 } id
            && document.QuerySelectorAll("label").FirstOrDefault(l => l.GetAttribute("for") == id) is { } label)
        {
            return Normalize(label.TextContent);
        }

        return control.Closest("label") is { } enclosing ? Normalize(enclosing.TextContent) : null;
    }

    /// <summary>The one reachable control in <paramref name="root"/> whose accessible name is <paramref name="name"/>.</summary>
    public static IElement ByLabel(this IElement root, string name)
    {
        var matches = Controls(root).Where(c => NameOf(c) == name).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one control named \"{name}\", found {matches.Count}.");
    }

    // bUnit's markup is a fragment, not a document: labels and aria-labelledby targets are looked up from its root.
    private static IParentNode RootOf(INode node)
    {
        while (node.Parent is { } parent)
        {
            node = parent;
        }

        return (IParentNode)node;
    }

    private static bool IsDisplayNone(IElement element) =>
        element.GetAttribute("style")?.Replace(" ", "", StringComparison.Ordinal).Contains("display:none", StringComparison.Ordinal) == true;

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
