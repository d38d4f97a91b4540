using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using WebhookPortal.Features.Audit;
using WebhookPortal.Features.Localization;
using WebhookPortal.Resources;

namespace WebhookPortal.Tests.Features.Localization;

/// <summary>Every stored message code and audit action has its text in English and in Simplified Chinese.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed partial class MessageCodesTests
{
    private static readonly ResourceManager Resources = new(typeof(Strings));

    [Fact]
    public void Every_code_has_an_English_and_a_Chinese_text_with_the_same_placeholders()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var chinese = Texts(new CultureInfo("zh-CN"));

        Assert.NotEmpty(MessageCodes.English);
        Assert.Empty(MessageCodes.English.Where(c => !english.ContainsKey(c.Value)).Select(c => c.Key));
        Assert.Empty(MessageCodes.English.Where(c => !chinese.ContainsKey(c.Value)).Select(c => c.Key));
        Assert.Empty(MessageCodes.English.Where(c => chinese.TryGetValue(c.Value, out var zh) && !Placeholders(zh).SetEquals(Placeholders(c.Value)))
            .Select(c => c.Key));
    }

    [Fact]
    public void Every_code_field_is_in_the_list_and_codes_are_unique_dotted_names()
    {
        var fields = typeof(MessageCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string)).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.Equal(fields.Count, fields.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(fields.Order(StringComparer.Ordinal), MessageCodes.English.Keys.Order(StringComparer.Ordinal));
        Assert.All(fields, code => Assert.Matches("^[a-z0-9_]+(\\.[a-z0-9_]+)+$", code));
    }

    [Fact]
    public void Every_audit_action_has_a_name_in_both_languages()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var chinese = Texts(new CultureInfo("zh-CN"));

        Assert.NotEmpty(AuditText.Actions);
        Assert.Empty(AuditText.Actions.Where(a => !english.ContainsKey(a.Name) || !chinese.ContainsKey(a.Name)).Select(a => a.Action));
        Assert.Equal(AuditText.Actions.Count, AuditText.Actions.Select(a => a.Action).Distinct(StringComparer.Ordinal).Count());
    }

    private static Dictionary<string, string> Texts(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+[^}]*\}")]
    private static partial Regex Placeholder();
}
