using System.Text;
using WebhookPortal.Features.Templates;
using WebhookPortal.Features.Users;

namespace WebhookPortal.Tests.Features.Templates;

/// <summary>The README's variable table and preset list are generated from the catalogue; this keeps them equal.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ReadmeCatalogueTests
{
    private const string FieldsStart = "<!-- fields:start (generated from TemplateFields.All; ReadmeCatalogueTests prints it) -->";
    private const string FieldsEnd = "<!-- fields:end -->";
    private const string PresetsStart = "<!-- presets:start (generated from WebhookPresets.All; ReadmeCatalogueTests prints it) -->";
    private const string PresetsEnd = "<!-- presets:end -->";

    [Fact]
    public void Readme_lists_every_field_of_the_catalogue()
    {
        Assert.Equal(FieldsTable(), Between(Readme(), FieldsStart, FieldsEnd));
    }

    [Fact]
    public void Readme_lists_every_preset()
    {
        Assert.Equal(PresetList(), Between(Readme(), PresetsStart, PresetsEnd));
    }

    private static string FieldsTable()
    {
        var table = new StringBuilder("| variable | value | example | actions |\n|---|---|---|---|\n");
        foreach (var field in TemplateFields.All)
        {
            var actions = field.Actions == UserActions.All.Aggregate(UserAction.None, (a, b) => a | b)
                ? "all"
                : string.Join(", ", UserActions.All.Where(a => field.Actions.HasFlag(a)).Select(a => a.Label()));
            table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| `{field.Name}` | {field.Description} | `{field.Example}` | {actions} |\n");
        }

        return table.ToString();
    }

    private static string PresetList()
    {
        var list = new StringBuilder();
        foreach (var preset in WebhookPresets.All)
        {
            list.Append(System.Globalization.CultureInfo.InvariantCulture, $"- **{preset.Label}** (`{preset.Id}`, target {preset.Target.Label()})\n");
        }

        return list.ToString();
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"README.md needs the markers {start} … {end}.");
        return text[(from + start.Length)..to].TrimStart('\n').ReplaceLineEndings("\n");
    }

    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var readme = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(readme) && File.Exists(Path.Combine(dir.FullName, "WebhookPortal.sln")))
            {
                return File.ReadAllText(readme);
            }
        }

        throw new FileNotFoundException("README.md next to WebhookPortal.sln was not found above " + AppContext.BaseDirectory);
    }
}
