namespace WebhookPortal.Features.Templates;

/// <summary>A piece of a parsed template.</summary>
public abstract record TemplateSegment;
