using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// One person at the portal in a browser: a fresh browser context (its own cookies) on the shared <see cref="Chromium"/>,
/// one page, and the screenshots of the pages it passes through, written as test artifacts to
/// <c>TestResults/screenshots/&lt;scenario&gt;/&lt;nn&gt;-&lt;name&gt;.png</c> (see <see cref="ScreenshotRoot"/>).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    // Counts Blazor Server render batches arriving on the circuit's WebSocket, and notes when the last one came. A
    // prerendered page looks finished but ignores clicks until the circuit has rendered it (the first batches may only
    // show the authorizing state, and a page loading its data renders again when the data is there).
    private const string CountRenderBatches = """
        (() => {
          const Native = window.WebSocket;
          window.__e2eRenderBatches = 0;
          window.WebSocket = class extends Native {
            constructor(url, protocols) {
              super(url, protocols);
              if (String(url).includes('/_blazor')) {
                this.addEventListener('message', e => {
                  const text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
                  if (text.includes('JS.RenderBatch')) {
                    // After the listener Blazor itself registered later has applied the batch.
                    setTimeout(() => { window.__e2eRenderBatches++; window.__e2eLastBatchAt = performance.now(); }, 0);
                  }
                });
              }
            }
          };
        })();
        """;

    private readonly IBrowserContext context;
    private readonly string screenshots;
    private readonly List<string> scriptErrors = [];
    private int shot;

    private BrowserSession(IBrowserContext context, IPage page, string screenshots, string culture)
    {
        this.context = context;
        Culture = culture;
        Page = page;
        this.screenshots = screenshots;
        page.PageError += (_, error) =>
        {
            lock (scriptErrors)
            {
                scriptErrors.Add(error);
            }
        };
    }

    /// <summary>The browser page.</summary>
    public IPage Page { get; }

    /// <summary>The portal's language in this session: <c>en</c> or <c>zh-CN</c>.</summary>
    public string Culture { get; }

    /// <summary>The UI text <paramref name="english"/> as the portal shows it in <see cref="Culture"/> (the English key of <c>Strings.resx</c>).</summary>
    public string Text(string english) =>
        PageChecks.Translate(english, Culture);

    /// <summary>
    /// Where screenshots go: <c>E2E_SCREENSHOTS</c> when set, else <c>TestResults/screenshots</c> in the folder holding
    /// <c>WebhookPortal.sln</c> (the folder <c>.ci/run</c> passes to <c>--results-directory</c>).
    /// </summary>
    public static string ScreenshotRoot { get; } = FindScreenshotRoot();

    /// <summary>
    /// Opens a page on <paramref name="baseAddress"/> whose screenshots go to the folder <paramref name="scenario"/>
    /// (emptied first), in a window <paramref name="width"/> px wide, with the portal's language set to
    /// <paramref name="culture"/> (<c>en</c> or <c>zh-CN</c>) and its dark theme when <paramref name="dark"/>, as the
    /// language menu and the theme toggle would have remembered them.
    /// </summary>
    public static async Task<BrowserSession> OpenAsync(
        Chromium chromium, Uri baseAddress, string scenario, string culture = "en", int width = 1440, bool dark = false)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            Locale = culture == "en" ? "en-US" : culture,
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        // Expect(...) does not follow the context's timeout (its own default is 5 s): on a loaded machine a step that waits
        // for the server (a dialog closing after a confirmation, with its editor disposed) outlasted 5 s while every
        // action would still have had 20.
        Assertions.SetDefaultExpectTimeout(20_000);
        await context.AddCookiesAsync(
        [
            new Cookie { Name = ".AspNetCore.Culture", Value = Uri.EscapeDataString($"c={culture}|uic={culture}"), Url = baseAddress.ToString() },
            new Cookie { Name = "portal-theme", Value = dark ? "dark" : "light", Url = baseAddress.ToString() },
        ]);
        await context.AddInitScriptAsync(CountRenderBatches);
        var page = await context.NewPageAsync();
        var folder = Path.Combine(ScreenshotRoot, scenario);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return new BrowserSession(context, page, folder, culture);
    }

    /// <summary>Loads <paramref name="path"/> afresh and, unless it is a static page, waits until its circuit is interactive.</summary>
    public async Task GotoAsync(string path, bool interactive = true)
    {
        await Page.GotoAsync(path);
        if (interactive)
        {
            await WaitForInteractiveAsync();
        }
    }

    /// <summary>
    /// Waits until Blazor rendered the current document over its circuit and then paused rendering for a moment (the
    /// start-up renders are done), so clicks reach the components.
    /// </summary>
    public async Task WaitForInteractiveAsync() =>
        await Page.WaitForFunctionAsync(
            "() => window.__e2eRenderBatches > 0 && performance.now() - window.__e2eLastBatchAt > 300",
            null, new PageWaitForFunctionOptions { PollingInterval = 50 });

    /// <summary>Signs in on the static sign-in page and waits for the interactive page it leads to.</summary>
    public async Task SignInAsync(string userName, string password, string path = "/")
    {
        await GotoAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(path), interactive: false);
        await Page.GetByLabel(Text("User name or email")).FillAsync(userName);
        await Page.GetByLabel(Text("Password"), new() { Exact = true }).FillAsync(password);
        await ShotAsync("sign-in");
        await Page.GetByRole(AriaRole.Button, new() { Name = Text("Sign in"), Exact = true }).ClickAsync();
        await Expect(Page).Not.ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
    }

    /// <summary>Clicks the app bar's Sign out and waits for the sign-in page.</summary>
    public async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = Text("Sign out") }).First.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/Account/Login", RegexOptions.IgnoreCase));
    }

    /// <summary>Opens a page from the left navigation and waits for its heading and for it to be interactive.</summary>
    public async Task NavigateAsync(string link, string heading)
    {
        await Page.GetByRole(AriaRole.Navigation, new() { Name = Text("Main navigation") })
            .GetByRole(AriaRole.Link, new() { Name = Text(link), Exact = true }).ClickAsync();
        await ExpectPageAsync(heading);
    }

    /// <summary>
    /// Waits for the page headed <paramref name="heading"/> and for it to be interactive: a link usually navigates inside
    /// the circuit, but when the browser loaded the page afresh it is prerendered first and ignores clicks for a moment.
    /// </summary>
    public async Task ExpectPageAsync(string heading)
    {
        await Expect(Heading(heading)).ToBeVisibleAsync();
        await WaitForInteractiveAsync();
    }

    /// <summary>The level-1 heading <paramref name="name"/>.</summary>
    public ILocator Heading(string name) => Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true, Level = 1 });

    /// <summary>The open dialog titled <paramref name="title"/>.</summary>
    public ILocator Dialog(string title) => Page.GetByRole(AriaRole.Dialog, new() { Name = title });

    /// <summary>
    /// Clicks the button <paramref name="button"/> (the first of that name) and returns the dialog <paramref name="title"/>
    /// it opens. A click that lands while a freshly loaded page is still becoming interactive can be lost; an unanswered
    /// click is repeated once, after a wait long enough that a slow answer to the first one is not taken for a lost one
    /// (two dialogs would then be open, and the dialog's locators fail saying so).
    /// </summary>
    public async Task<ILocator> OpenDialogAsync(string button, string title)
    {
        var dialog = Dialog(title);
        var trigger = Button(button).First;
        await trigger.ClickAsync();
        try
        {
            await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 10_000 });
        }
        catch (PlaywrightException)
        {
            if (await dialog.CountAsync() == 0)
            {
                await trigger.ClickAsync();
            }

            await Expect(dialog).ToBeVisibleAsync();
        }

        return dialog;
    }

    /// <summary>The button <paramref name="name"/> (exact name) within <paramref name="scope"/> or the page.</summary>
    public ILocator Button(string name, ILocator? scope = null) =>
        scope is null
            ? Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })
            : scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Types <paramref name="text"/> into <paramref name="field"/> and leaves it, so fields bound on change see it.</summary>
    public static async Task FillAsync(ILocator field, string text)
    {
        await field.FillAsync(text);
        await field.BlurAsync();
    }

    /// <summary>Waits for a toast (snackbar) that says <paramref name="text"/>.</summary>
    public async Task ExpectToastAsync(string text) =>
        await Expect(Page.Locator(".mud-snackbar").Filter(new() { HasText = text })).ToBeVisibleAsync();

    /// <summary>Saves a full-page screenshot as <c>&lt;nn&gt;-<paramref name="name"/>.png</c>.</summary>
    public async Task ShotAsync(string name)
    {
        var file = Path.Combine(screenshots, $"{++shot:00}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
    }

    /// <summary>
    /// Runs a scenario's steps; when one fails, saves the page as it was (<c>failure.png</c>) before the failure goes on,
    /// then checks that no script on the page threw.
    /// </summary>
    public async Task RunAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "failure.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(screenshots, "failure.txt"),
                Page.Url + Environment.NewLine + await Page.EvaluateAsync<string>("() => document.body.innerText"));
            throw;
        }

        ExpectNoScriptErrors();
    }

    /// <summary>Fails the test when a script on the page threw (uncaught errors seen so far).</summary>
    public void ExpectNoScriptErrors()
    {
        lock (scriptErrors)
        {
            if (scriptErrors.Count > 0)
            {
                throw new XunitException("Scripts on the page threw: " + string.Join(Environment.NewLine, scriptErrors));
            }
        }
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();

    private static string FindScreenshotRoot()
    {
        if (Environment.GetEnvironmentVariable("E2E_SCREENSHOTS") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WebhookPortal.sln")))
            {
                return Path.Combine(folder.FullName, "TestResults", "screenshots");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
    }
}
