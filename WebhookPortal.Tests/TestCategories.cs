namespace WebhookPortal.Tests;

/// <summary>
/// The values of the "Category" trait every test class carries, so one tier runs alone:
/// <c>dotnet test --filter Category=Unit</c>.
/// </summary>
public static class TestCategories
{
    /// <summary>Pure code and components rendered by bUnit: no host, no database file, no network, no browser; seconds for all.</summary>
    public const string Unit = "Unit";

    /// <summary>A real portal host (in-memory test server or Kestrel), a real SQLite file or PostgreSQL server, or loopback HTTP receivers.</summary>
    public const string Integration = "Integration";

    /// <summary>End-to-end scenarios in Chromium through Playwright against the portal on Kestrel.</summary>
    public const string Browser = "Browser";

    /// <summary>The portal run as a separate process and killed with SIGKILL in the middle of its deliveries.</summary>
    public const string Crash = "Crash";
}
