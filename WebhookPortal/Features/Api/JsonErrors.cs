using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Api;

/// <summary>
/// System.Text.Json's errors as an API client can act on them: the field by its JSON path (<c>headers[0].name</c>,
/// <c>body</c> for the whole body) and the kind of value it must hold in JSON's words ("a string", "true or false", "one of:
/// Created, Updated …"), read from the operation's request type; the exception's own message names .NET types, so only
/// the names of missing required fields are taken from it.
/// </summary>
internal static partial class JsonErrors
{
    /// <summary>The errors per field for <paramref name="json"/>, thrown while reading a <paramref name="bodyType"/>.</summary>
    public static Dictionary<string, string[]> Describe(JsonException json, Type? bodyType, JsonSerializerOptions options)
    {
        // The reader's own exception inside: the text is not JSON at all. Its message names no type.
        if (json.InnerException is JsonException reader)
        {
            var reason = reader.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].Trim();
            return new()
            {
                ["body"] = [UiText.Format("The body is not valid JSON: {0} (line {1}, byte {2}).", reason, json.LineNumber + 1, json.BytePositionInLine + 1)],
            };
        }

        var path = json.Path ?? "$";
        if (MissingRequired().Match(json.Message) is { Success: true } missing)
        {
            var prefix = Field(path);
            return Quoted().Matches(missing.Groups["names"].Value)
                .Select(name => prefix == "body" ? name.Groups[1].Value : $"{prefix}.{name.Groups[1].Value}")
                .ToDictionary(field => field, field => new[] { UiText.Format("{0} is required.", field) });
        }

        var field = Field(path);
        // AllowDuplicateProperties is off; the runtime's message names the .NET type, so only its kind is taken.
        if (json.Message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return new() { [field] = [$"{field} appears more than once; send it once."] };
        }

        var expected = bodyType is null ? null : TypeAt(options.GetTypeInfo(bodyType), path, options);
        return new()
        {
            [field] = [expected is null ? UiText.Format("{0} is not a valid value here.", field) : UiText.Format("{0} must be {1}.", field, Expected(expected))],
        };
    }

    /// <summary>What a value of <paramref name="type"/> looks like in JSON or a query string, e.g. "a whole number".</summary>
    public static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return UiText.Get("a string");
        }

        if (type == typeof(bool))
        {
            return UiText.Get("true or false");
        }

        if (type.IsEnum)
        {
            var flags = type.IsDefined(typeof(FlagsAttribute), inherit: false);
            // By the name JSON uses: a [JsonStringEnumMemberName] ("confidential") where a member has one.
            var names = Enum.GetValues(type).Cast<Enum>()
                .Where(value => !flags || Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) != 0)
                .Select(value => type.GetField(value.ToString())?.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), inherit: false)
                    .OfType<JsonStringEnumMemberNameAttribute>().FirstOrDefault()?.Name ?? value.ToString());
            return UiText.Format("one of: {0}", string.Join(", ", names));
        }

        if (type == typeof(byte) || type == typeof(sbyte) || type == typeof(short) || type == typeof(ushort)
            || type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong))
        {
            return UiText.Get("a whole number");
        }

        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal))
        {
            return UiText.Get("a number");
        }

        if (type == typeof(Guid))
        {
            return UiText.Format("a UUID such as {0}", "3f2b8c1e-5d4a-4e8b-9c1d-2a7e6f0b9d13");
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return UiText.Format("a date and time such as {0}", "2026-11-29T09:14:41Z");
        }

        if (type == typeof(DateOnly))
        {
            return UiText.Format("a date such as {0}", "2026-11-29");
        }

        if (type == typeof(TimeSpan))
        {
            return UiText.Format("a duration such as {0}", "00:05:00");
        }

        if (typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Append(type).Any(IsDictionary))
        {
            return UiText.Get("a JSON object");
        }

        return UiText.Get(typeof(IEnumerable).IsAssignableFrom(type) ? "an array" : "a JSON object");
    }

    /// <summary><c>$</c> is the whole body; <c>$.headers[0].name</c> is <c>headers[0].name</c>.</summary>
    private static string Field(string path) =>
        path is "" or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>The type declared at <paramref name="path"/> inside <paramref name="root"/>, or null when the path leaves it.</summary>
    private static Type? TypeAt(JsonTypeInfo root, string path, JsonSerializerOptions options)
    {
        var info = root;
        var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (Match segment in Segment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                if (info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null)
                {
                    return null;
                }

                info = options.GetTypeInfo(info.ElementType);
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            switch (info.Kind)
            {
                case JsonTypeInfoKind.Object when info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison)) is { } property:
                    info = options.GetTypeInfo(property.PropertyType);
                    break;
                case JsonTypeInfoKind.Dictionary when info.ElementType is not null:
                    info = options.GetTypeInfo(info.ElementType);
                    break;
                default:
                    return null;
            }
        }

        return info.Type;
    }

    private static bool IsDictionary(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>));

    // System.Text.Json's JsonRequiredPropertiesMissing: "… was missing required properties including: 'name', 'value'."
    [GeneratedRegex("missing required properties including: (?<names>.*)")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    // The segments of a System.Text.Json path: .name, ['name'], [0].
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Segment();
}
