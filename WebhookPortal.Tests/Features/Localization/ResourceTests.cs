using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using WebhookPortal.Resources;

namespace WebhookPortal.Tests.Features.Localization;

/// <summary>The UI texts: every English key has a Simplified Chinese text and the reverse, and every key the code looks up exists.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed partial class ResourceTests
{
    private static readonly ResourceManager Resources = new(typeof(Strings));

    [Fact]
    public void Every_English_key_has_a_Chinese_text_and_every_Chinese_text_an_English_key()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var chinese = Texts(new CultureInfo("zh-CN"));

        Assert.NotEmpty(english);
        Assert.Empty(english.Keys.Except(chinese.Keys));
        Assert.Empty(chinese.Keys.Except(english.Keys));
        Assert.Empty(chinese.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key));
    }

    [Fact]
    public void Chinese_texts_keep_the_placeholders_of_the_English_ones()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var chinese = Texts(new CultureInfo("zh-CN"));

        var mismatched = english.Keys.Intersect(chinese.Keys)
            .Where(key => !Placeholders(english[key]).SetEquals(Placeholders(chinese[key])))
            .ToList();

        Assert.Empty(mismatched);
    }

    [Fact]
    public void Every_key_the_pages_look_up_is_in_the_English_resources()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var source = Path.Combine(RepositoryRoot(), "WebhookPortal");
        var used = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Lookup().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: Unescape(m.Groups["key"].Value))))
            .ToList();

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(u => !english.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct());
    }

    private static Dictionary<string, string> Texts(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    private static string Unescape(string key) => key.Replace("\\\"", "\"", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebhookPortal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("WebhookPortal.sln was not found above " + AppContext.BaseDirectory);
    }

    // L["text"], L["text", args], UiText.Get("text") and UiText.Format("text", args) with a literal key.
    [GeneratedRegex("""(?:\bL\[|\bUiText\.(?:Get|Format)\()"(?<key>(?:[^"\\]|\\.)*)"[\],)]""")]
    private static partial Regex Lookup();

    [GeneratedRegex(@"\{\d+(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();
}
