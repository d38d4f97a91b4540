using Microsoft.Playwright;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// One headless Debian Chromium for the whole end-to-end collection, driven by Playwright. Playwright never downloads a
/// browser here: it launches <see cref="ExecutablePath"/> (the Debian <c>chromium</c> package, which <c>.ci/run</c>
/// installs); without it every test of the collection fails with a message that says so.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where the Debian package puts the browser; <c>E2E_CHROMIUM</c> overrides it.</summary>
    public static string ExecutablePath { get; } =
        Environment.GetEnvironmentVariable("E2E_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The running browser.</summary>
    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The end-to-end tests need Chromium at {ExecutablePath}, and it is not there. Install the Debian package " +
                "(`apt-get install -y chromium`, as .ci/run does) or point E2E_CHROMIUM at a Chromium binary.");
        }

        // A loaded two-core machine can be slow; the auto-waiting assertions wait this long before they fail.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}

/// <summary>
/// The end-to-end test classes: one after another (they share <see cref="Chromium"/>), each on a portal of its own, and
/// after the other collections rather than beside them, so a browser and a busy test run do not starve each other on a
/// small machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<Chromium>
{
    public const string Name = "End to end";
}
