using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>One variable a template can use as <c>{{$$.Name$$}}</c>.</summary>
/// <param name="Name">Case-sensitive field name.</param>
/// <param name="Description">What the value is, for the variable palette and docs.</param>
/// <param name="Example">A typical value.</param>
/// <param name="Actions">The actions whose events carry a non-empty value.</param>
/// <param name="IsBoolean">Rendered as a bare JSON <c>true</c>/<c>false</c> outside string literals.</param>
public sealed record TemplateField(string Name, string Description, string Example, UserAction Actions, bool IsBoolean = false);
