using WebhookPortal.Tests.Infrastructure;

namespace WebhookPortal.Tests.Features.Delivery;

/// <summary>The portal process itself, started with a setting it cannot read: it stops with the message and exit code 1.</summary>
[Trait("Category", TestCategories.Integration)]
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task An_unreadable_allowed_host_stops_the_process_with_its_message_and_exit_code_1()
    {
        var folder = Directory.CreateTempSubdirectory("portal-refusal-");
        try
        {
            var (exitCode, output) = await PortalProcess.RunUntilExitAsync(Path.Combine(folder.FullName, "portal.db"),
                new Dictionary<string, string> { ["Webhooks__Network__AllowedHosts__0"] = "10.0.0.0/33" }, TimeSpan.FromMinutes(2));

            Assert.True(exitCode == 1, $"exit code {exitCode}: {output}");
            Assert.Contains("WebhookPortal did not start: Webhooks:Network:AllowedHosts has entries", output);
            Assert.Contains("'10.0.0.0/33'", output);
            Assert.DoesNotContain("Unhandled exception", output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
