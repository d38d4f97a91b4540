namespace WebhookPortal.Features.Templates;

/// <summary>The fields of one object's events.</summary>
/// <param name="Object">Only <c>User</c> today.</param>
/// <param name="Actions">Each action with its event type.</param>
public sealed record CatalogueObject(string Object, IReadOnlyList<CatalogueAction> Actions, IReadOnlyList<CatalogueField> Fields);
