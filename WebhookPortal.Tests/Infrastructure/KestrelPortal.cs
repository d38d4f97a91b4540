namespace WebhookPortal.Tests.Infrastructure;

/// <summary>A class fixture holding a <see cref="PortalFactory"/> that serves real HTTP on 127.0.0.1 (see <see cref="PortalFactory.CreateOnKestrel"/>).</summary>
public sealed class KestrelPortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = PortalFactory.CreateOnKestrel();

    public Task InitializeAsync()
    {
        Factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
