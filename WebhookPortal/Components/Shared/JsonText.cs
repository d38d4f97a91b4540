using System.Text.Encodings.Web;
using System.Text.Json;

namespace WebhookPortal.Components.Shared;

/// <summary>Formatting of JSON for display.</summary>
public static class JsonText
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Show CJK and emoji as they are, as the receiver sees them, not as \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Indents <paramref name="text"/> when it is JSON; returns it unchanged otherwise.</summary>
    public static string Pretty(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
