using System.Text.Json;

namespace WebhookPortal.Tests.Features.Operations;

/// <summary>
/// The runtime settings the portal's build writes to <c>WebhookPortal.runtimeconfig.json</c> (copied beside the tests), which
/// the portal's process reads at start: the project's MSBuild properties really reached the runtime.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PortalRuntimeConfigTests
{
    [Fact]
    public void The_portal_runs_the_workstation_garbage_collector_with_background_collections()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "WebhookPortal.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // The Web SDK turns server GC on unless the project says otherwise (docs/benchmarks.md, "Which GC").
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }
}
