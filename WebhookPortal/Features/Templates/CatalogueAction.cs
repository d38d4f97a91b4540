using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>An action of an object.</summary>
/// <param name="Action">Created … LoggedOut.</param>
/// <param name="Label">The UI's word: Create … Logout.</param>
/// <param name="EventType">user.created … user.logout.</param>
/// <param name="Fields">Names of the fields with a value for this action.</param>
public sealed record CatalogueAction(UserAction Action, string Label, string EventType, IReadOnlyList<string> Fields);
