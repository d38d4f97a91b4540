namespace WebhookPortal.Features.Localization;

/// <summary>
/// One argument of a <see cref="CodedMessage"/>: text shown as it is (a name, a number, a time, an error message from
/// outside such as a socket error), a term shown in the reader's language (a key of <c>Strings.resx</c>, e.g. a target's
/// label), a message of its own, or a list of such arguments joined with <c>", "</c> or <c>"; "</c> in the reader's language.
/// Strings and messages convert implicitly.
/// </summary>
public sealed record MessageArg
{
    private MessageArg(string? text, string? term, CodedMessage? message, IReadOnlyList<MessageArg>? items, string separator) =>
        (Text, Term, Message, Items, Separator) = (text, term, message, items, separator);

    /// <summary>Shown as it is; null for the other kinds.</summary>
    public string? Text { get; }

    /// <summary>An English UI text (a resource key) shown in the reader's language; null for the other kinds.</summary>
    public string? Term { get; }

    /// <summary>A nested message; null for the other kinds.</summary>
    public CodedMessage? Message { get; }

    /// <summary>A list's items; null for the other kinds.</summary>
    public IReadOnlyList<MessageArg>? Items { get; }

    /// <summary>What joins a list's items, in English: <c>", "</c> or <c>"; "</c> (its translation is used).</summary>
    public string Separator { get; }

    /// <summary>Text shown as it is.</summary>
    public static MessageArg FromString(string text) => new(text, null, null, null, "");

    /// <summary>A nested message.</summary>
    public static MessageArg FromCodedMessage(CodedMessage message) => new(null, null, message, null, "");

    /// <summary>An English UI text shown in the reader's language (as stored when it has no translation).</summary>
    public static MessageArg OfTerm(string english) => new(null, english, null, null, "");

    /// <summary>Items joined with <paramref name="separator"/> (<c>", "</c> or <c>"; "</c>) in the reader's language.</summary>
    public static MessageArg OfList(IEnumerable<MessageArg> items, string separator = ", ") => new(null, null, null, [.. items], separator);

    public static implicit operator MessageArg(string text) => FromString(text);

    public static implicit operator MessageArg(CodedMessage message) => FromCodedMessage(message);
}
