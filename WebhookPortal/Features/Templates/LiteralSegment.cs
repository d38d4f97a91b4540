namespace WebhookPortal.Features.Templates;

/// <summary>Text copied as it is.</summary>
public sealed record LiteralSegment(string Text) : TemplateSegment;
