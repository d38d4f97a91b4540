using System.Globalization;
using WebhookPortal.Features.Localization;
using WebhookPortal.Resources;

namespace WebhookPortal.Features.Templates;

/// <summary>A problem in a template, at a 1-based line and column (0 when it concerns the whole template).</summary>
/// <param name="Message">The problem in the UI language of the moment it was found.</param>
public sealed record TemplateError(string Message, int Line, int Column)
{
    /// <summary>The problem as a template.* code with its arguments; null for an error made from text alone.</summary>
    public CodedMessage? Coded { get; init; }

    /// <summary>The error <paramref name="problem"/> at <paramref name="line"/> and <paramref name="column"/>, its message in the current UI language.</summary>
    public static TemplateError Of(CodedMessage problem, int line, int column) => new(MessageText.Render(problem), line, column) { Coded = problem };

    /// <summary>The problem with its position, to be stored and shown later in each reader's language (<see cref="MessageCodes.TemplateAt"/>).</summary>
    public MessageArg ToStored()
    {
        MessageArg problem = Coded is null ? Message : Coded;
        return Line > 0
            ? new CodedMessage(MessageCodes.TemplateAt, Line.ToString(CultureInfo.InvariantCulture), Column.ToString(CultureInfo.InvariantCulture), problem)
            : problem;
    }

    public override string ToString() => Line > 0 ? UiText.Format("Line {0}, column {1}: {2}", Line, Column, Message) : Message;
}
