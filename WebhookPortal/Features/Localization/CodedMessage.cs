using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WebhookPortal.Features.Localization;

/// <summary>
/// A message kept as a code and its arguments rather than as text, so each reader sees it in their own language
/// (<see cref="MessageText"/>): delivery errors, auto-disable reasons, audit details. Codes and their English texts are
/// listed in <see cref="MessageCodes"/>; <c>{0}</c>, <c>{1}</c> … in the text are the arguments in order.
/// <para>
/// Stored in the existing text columns as a compact JSON array: the code, then each argument — a string (text as it is),
/// an array (a nested message), <c>{"t":"…"}</c> (a term) or <c>{"l":[…],"s":", "}</c> (a list), e.g.
/// <c>["delivery.timed_out","15"]</c>. Rows written before codes existed hold plain English text, which never starts so.
/// </para>
/// </summary>
/// <param name="Code">A <see cref="MessageCodes"/> code, e.g. <c>delivery.timed_out</c>.</param>
/// <param name="Args">The arguments, in the order of the text's placeholders.</param>
public sealed partial record CodedMessage(string Code, params IReadOnlyList<MessageArg> Args)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The stored form (see the type's summary).</summary>
    public string Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, this);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The message <paramref name="stored"/> holds, or null when it is plain text (or null): a row from before codes.</summary>
    public static CodedMessage? Parse(string? stored)
    {
        if (stored is null || !stored.StartsWith("[\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(stored);
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Write(Utf8JsonWriter writer, CodedMessage message)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(message.Code);
        foreach (var arg in message.Args)
        {
            Write(writer, arg);
        }

        writer.WriteEndArray();
    }

    private static void Write(Utf8JsonWriter writer, MessageArg arg)
    {
        if (arg.Message is { } nested)
        {
            Write(writer, nested);
        }
        else if (arg.Term is { } term)
        {
            writer.WriteStartObject();
            writer.WriteString("t", term);
            writer.WriteEndObject();
        }
        else if (arg.Items is { } items)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("l");
            foreach (var item in items)
            {
                Write(writer, item);
            }

            writer.WriteEndArray();
            writer.WriteString("s", arg.Separator);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStringValue(arg.Text);
        }
    }

    private static CodedMessage? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0
            || element[0].ValueKind != JsonValueKind.String || !CodeShape().IsMatch(element[0].GetString()!))
        {
            return null;
        }

        var args = new List<MessageArg>();
        foreach (var item in element.EnumerateArray().Skip(1))
        {
            if (ReadArg(item) is not { } arg)
            {
                return null;
            }

            args.Add(arg);
        }

        return new CodedMessage(element[0].GetString()!, args);
    }

    private static MessageArg? ReadArg(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString()!;
            case JsonValueKind.Array:
                return Read(element) is { } nested ? MessageArg.FromCodedMessage(nested) : null;
            case JsonValueKind.Object when element.TryGetProperty("t", out var term) && term.ValueKind == JsonValueKind.String:
                return MessageArg.OfTerm(term.GetString()!);
            case JsonValueKind.Object when element.TryGetProperty("l", out var list) && list.ValueKind == JsonValueKind.Array:
                var items = new List<MessageArg>();
                foreach (var item in list.EnumerateArray())
                {
                    if (ReadArg(item) is not { } arg)
                    {
                        return null;
                    }

                    items.Add(arg);
                }

                var separator = element.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : ", ";
                return MessageArg.OfList(items, separator);
            default:
                return null;
        }
    }

    // "delivery.timed_out": lower-case words joined by dots, at least two.
    [GeneratedRegex("^[a-z0-9_]+(?:\\.[a-z0-9_]+)+$")]
    private static partial Regex CodeShape();
}
