using WebhookPortal.Resources;

namespace WebhookPortal.Features.Templates;

/// <summary>A problem in a template, at a 1-based line and column (0 when it concerns the whole template).</summary>
public sealed record TemplateError(string Message, int Line, int Column)
{
    public override string ToString() => Line > 0 ? UiText.Format("Line {0}, column {1}: {2}", Line, Column, Message) : Message;
}
