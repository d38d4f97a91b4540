namespace WebhookPortal.Features.Clients;

/// <summary>Registers the Docking Portal's services and its API.</summary>
public static class ClientsExtensions
{
    /// <summary>
    /// Adds <see cref="ClientAdministration"/> (which needs OpenIddict's core, added by <c>AddSso</c>) and the start-up step
    /// that gives older clients their application; call after <c>AddPortalData</c>, whose database step must run first.
    /// </summary>
    public static IHostApplicationBuilder AddClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClientAdministration>();
        builder.Services.AddHostedService<ClientApplicationLinker>();
        return builder;
    }

    /// <summary>Maps <c>/api/v1/clients</c>: list, get, create, update, delete, rotate-secret.</summary>
    public static RouteGroupBuilder MapClientsApi(this RouteGroupBuilder api)
    {
        ClientsApi.Map(api);
        return api;
    }
}
