namespace WebhookPortal.Features.Clients;

/// <summary>Registers the Docking Portal's services and its API.</summary>
public static class ClientsExtensions
{
    /// <summary>Adds <see cref="ClientAdministration"/>.</summary>
    public static IHostApplicationBuilder AddClients(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClientAdministration>();
        return builder;
    }

    /// <summary>Maps <c>/api/v1/clients</c>: list, get, create, update, delete.</summary>
    public static RouteGroupBuilder MapClientsApi(this RouteGroupBuilder api)
    {
        ClientsApi.Map(api);
        return api;
    }
}
