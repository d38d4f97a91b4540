using WebhookPortal.Features.Users;

namespace WebhookPortal.Features.Templates;

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
