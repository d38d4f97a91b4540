using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

/// <summary>One variable of the catalogue, as the API returns it.</summary>
/// <param name="Name">Use as <c>{{$$.Name$$}}</c>; case-sensitive.</param>
/// <param name="Placeholder">The placeholder to paste.</param>
/// <param name="Actions">The actions whose events give it a value.</param>
/// <param name="IsBoolean">Rendered as a bare true/false outside a JSON string.</param>
public sealed record CatalogueField(string Name, string Placeholder, string Description, string Example, IReadOnlyList<UserAction> Actions, bool IsBoolean);

/// <summary>The fields of one object's events.</summary>
/// <param name="Object">Only <c>User</c> today.</param>
/// <param name="Actions">Each action with its event type.</param>
public sealed record CatalogueObject(string Object, IReadOnlyList<CatalogueAction> Actions, IReadOnlyList<CatalogueField> Fields);

/// <summary>An action of an object.</summary>
/// <param name="Action">Created … LoggedOut.</param>
/// <param name="Label">The UI's word: Create … Logout.</param>
/// <param name="EventType">user.created … user.logout.</param>
/// <param name="Fields">Names of the fields with a value for this action.</param>
public sealed record CatalogueAction(UserAction Action, string Label, string EventType, IReadOnlyList<string> Fields);

/// <summary>Maps the template variable catalogue's API.</summary>
public static class TemplatesExtensions
{
    /// <summary>Maps <c>GET /api/v1/catalogue</c>: the template fields per object and action, with examples (<see cref="TemplateFields.All"/>).</summary>
    public static RouteGroupBuilder MapCatalogueApi(this RouteGroupBuilder api)
    {
        api.MapGet("/catalogue", () => TypedResults.Ok<IReadOnlyList<CatalogueObject>>(
            [
                new CatalogueObject("User",
                    [.. UserActions.All.Select(a => new CatalogueAction(a, a.Label(), a.EventType(),
                        [.. TemplateFields.All.Where(f => f.Actions.HasFlag(a)).Select(f => f.Name)]))],
                    [.. TemplateFields.All.Select(f => new CatalogueField(f.Name, "{{$$." + f.Name + "$$}}", f.Description, f.Example,
                        [.. UserActions.All.Where(a => f.Actions.HasFlag(a))], f.IsBoolean))]),
            ]))
            .WithTags("Catalogue").WithName("GetCatalogue").WithSummary("The variables a Message Body, URL or header can use");
        return api;
    }
}
