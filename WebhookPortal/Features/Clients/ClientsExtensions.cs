namespace WebhookPortal.Features.Clients;

/// <summary>Registers the Docking Portal (clients and their webhooks).</summary>
public static class ClientsExtensions
{
    /// <summary>Adds the Docking Portal's services. Its pages are routed by the component router.</summary>
    public static IHostApplicationBuilder AddClients(this IHostApplicationBuilder builder) => builder;
}
