namespace WebhookPortal.Features.Templates;

/// <summary>A <c>{{$$.Name$$}}</c> placeholder at 1-based <paramref name="Line"/> and <paramref name="Column"/>.</summary>
/// <param name="InJsonString">True when the placeholder stands inside a JSON string literal of the surrounding text.</param>
public sealed record FieldSegment(string Name, int Line, int Column, bool InJsonString) : TemplateSegment;
