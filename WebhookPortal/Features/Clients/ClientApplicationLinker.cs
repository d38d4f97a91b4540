namespace WebhookPortal.Features.Clients;

/// <summary>
/// Start-up step after <see cref="Data.DatabaseInitializer"/> (registered after it, so it runs on the migrated database):
/// gives clients registered before single sign-on their OpenID Connect application through
/// <see cref="ClientAdministration.LinkApplicationsAsync"/>. Does nothing once every client has one.
/// </summary>
public sealed class ClientApplicationLinker(ClientAdministration clients, ILogger<ClientApplicationLinker> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var linked = await clients.LinkApplicationsAsync(cancellationToken);
        if (linked > 0)
        {
            logger.LogInformation("Gave {ClientCount} client(s) registered before single sign-on a confidential application; rotate a client's secret to get one", linked);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
