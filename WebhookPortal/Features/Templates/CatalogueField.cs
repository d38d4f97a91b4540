using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>One variable of the catalogue, as the API returns it.</summary>
/// <param name="Name">Use as <c>{{$$.Name$$}}</c>; case-sensitive.</param>
/// <param name="Placeholder">The placeholder to paste.</param>
/// <param name="Actions">The actions whose events give it a value.</param>
/// <param name="IsBoolean">Rendered as a bare true/false outside a JSON string.</param>
public sealed record CatalogueField(string Name, string Placeholder, string Description, string Example, IReadOnlyList<UserAction> Actions, bool IsBoolean);
