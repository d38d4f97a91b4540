using System.Collections;
using System.Globalization;
using System.Resources;
using Microsoft.Playwright;
using WebhookPortal.Resources;
using Xunit.Sdk;

namespace WebhookPortal.Tests.EndToEnd;

/// <summary>
/// Checks that a page as the browser laid it out looks finished: nothing wider than the window, no label, header, button
/// or chip broken over two lines, no button in capitals, and under zh-CN no English UI text that has a Chinese
/// translation and no ASCII punctuation or stray space in Chinese text. Each check reads
/// the live DOM, so it sees what the screenshot shows.
/// </summary>
public static class PageChecks
{
    // Visible text of the page and the texts people meet without reading the page (placeholders, tooltips, accessible
    // names). Code, bodies, the editor and user-supplied values marked data-user-content are not UI text.
    private const string CollectUiText = """
        () => {
          const skip = 'script, style, pre, code, .monaco-editor, textarea, [data-user-content]';
          const texts = new Set();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent.trim();
            const parent = node.parentElement;
            if (!text || !parent || parent.closest(skip)) continue;
            if (parent.getClientRects().length === 0 || (parent.checkVisibility && !parent.checkVisibility({ visibilityProperty: true }))) continue;
            texts.add(text);
          }
          for (const element of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
            if (element.closest(skip)) continue;
            for (const name of ['placeholder', 'title', 'aria-label']) {
              const value = element.getAttribute(name);
              if (value && value.trim()) texts.add(value.trim());
            }
          }
          return [...texts];
        }
        """;

    // Short UI labels that must stay on one line: table headers, buttons, chips, navigation links, tabs, field labels,
    // breadcrumbs. A label wraps when one of its text's line boxes lies wholly below another. Only text counts: an icon
    // beside the text, or a separator, sits at another height without being a second line.
    private const string FindWrappedLabels = """
        () => {
          const selector = 'th, .mud-button-label, .mud-chip-content, .mud-nav-link-text, .mud-tab, .mud-input-label, .mud-breadcrumb-item';
          const wrapped = [];
          for (const element of document.querySelectorAll(selector)) {
            if (element.getClientRects().length === 0) continue;
            const boxes = [];
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              if (!node.textContent.trim()) continue;
              const range = document.createRange();
              range.selectNodeContents(node);
              boxes.push(...[...range.getClientRects()].filter(r => r.width > 0 && r.height > 0));
            }
            if (boxes.some(a => boxes.some(b => b.top >= a.bottom - 1))) wrapped.push(element.textContent.trim());
          }
          return wrapped;
        }
        """;

    // Neither the page nor a table or dialog may hold more than it shows: below 960 px tables turn into cards instead.
    private const string FindOverflow = """
        () => {
          const found = [];
          const root = document.documentElement;
          if (root.scrollWidth > window.innerWidth + 1) found.push(`the page is ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
          for (const box of document.querySelectorAll('.mud-dialog-content, .mud-table-container')) {
            if (box.getClientRects().length > 0 && box.scrollWidth > box.clientWidth + 1) {
              const heading = box.closest('.mud-dialog, .mud-table')?.querySelector('h1, h2, h6, th')?.textContent?.trim() ?? '';
              found.push(`${box.className.split(' ')[0]} "${heading}" holds ${box.scrollWidth} px in ${box.clientWidth} px`);
            }
          }
          return found;
        }
        """;

    // Buttons shown in capitals: Material's default turned "创建 Webhook" into "创建 WEBHOOK" (issue 6).
    private const string FindCapitalizedButtons = """
        () => [...document.querySelectorAll('.mud-button-root, button, .mud-tab')]
          .filter(b => b.getClientRects().length > 0 && /[a-z]/.test(b.textContent) && getComputedStyle(b).textTransform === 'uppercase')
          .map(b => b.textContent.trim())
        """;

    // Chinese text set the Chinese way: full-width punctuation with no space beside it, and no ASCII colon, comma or
    // full stop against a Chinese character. Read per element from its own text nodes joined (markup such as
    // `@L["Object"]: @L["User"]` leaves one sentence in several nodes), with user content, code and editors left out.
    private const string FindChinesePunctuation = """
        () => {
          const skip = 'script, style, pre, code, .monaco-editor, textarea, [data-user-content]';
          const han = '\\p{Script=Han}';
          const rules = [
            [new RegExp(han + ' ?[:;,!?](?=\\s|$|' + han + ')', 'u'), 'ASCII punctuation after Chinese'],
            [new RegExp('[.:;,!?] +' + han, 'u'), 'ASCII punctuation before Chinese'],
            [/\s[，。：；！？、）]|[，。：；！？、（]\s/u, 'space beside full-width punctuation'],
          ];
          const found = new Set();
          for (const element of document.body.querySelectorAll('*')) {
            if (element.closest(skip) || element.getClientRects().length === 0) continue;
            // A child element stands as one mark (U+FFFC), so text is never joined across it.
            const text = [...element.childNodes].map(n => n.nodeType === Node.TEXT_NODE ? n.textContent : n.nodeType === Node.ELEMENT_NODE ? '\uFFFC' : '').join('')
              .replace(/\s+/g, ' ').trim();
            if (!text.replace(/\uFFFC/g, '').trim()) continue;
            for (const [rule, name] of rules) {
              if (rule.test(text)) found.add(`${name}: "${text}"`);
            }
          }
          return [...found];
        }
        """;

    private static readonly ResourceManager StringsResources = new(typeof(Strings));
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Translated = new(LoadTranslated);

    /// <summary>The UI text <paramref name="english"/> (a key of <c>Strings.resx</c>) in <paramref name="culture"/>; the key itself when it has no translation.</summary>
    public static string Translate(string english, string culture) =>
        StringsResources.GetString(english, CultureInfo.GetCultureInfo(culture)) ?? english;

    /// <summary>
    /// Fails, naming what it found, when the page is wider than the window, a table or dialog holds more than its box
    /// shows, a short label wraps, a button is in capitals, or when <paramref name="culture"/> is <c>zh-CN</c> and English
    /// UI text with a Chinese translation is on the page or Chinese text has ASCII punctuation or a stray space.
    /// </summary>
    public static async Task ExpectFinishedAsync(IPage page, string culture)
    {
        var problems = new List<string>();
        var width = page.ViewportSize?.Width ?? 1440;
        problems.AddRange(await page.EvaluateAsync<string[]>(FindOverflow));
        problems.AddRange((await page.EvaluateAsync<string[]>(FindWrappedLabels)).Select(text => $"\"{text}\" wraps"));
        problems.AddRange((await page.EvaluateAsync<string[]>(FindCapitalizedButtons)).Select(text => $"button \"{text}\" is shown in capitals"));
        if (culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
        {
            problems.AddRange(UntranslatedIn(await page.EvaluateAsync<string[]>(CollectUiText))
                .Select(text => $"\"{text}\" is not translated"));
            problems.AddRange(await page.EvaluateAsync<string[]>(FindChinesePunctuation));
        }

        if (problems.Count > 0)
        {
            throw new XunitException($"{page.Url} at {width} px ({culture}) is not finished:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    /// <summary>The texts among <paramref name="texts"/> that are English keys of <c>Strings.resx</c> whose zh-CN text differs.</summary>
    public static IEnumerable<string> UntranslatedIn(IEnumerable<string> texts) =>
        texts.Where(text => Translated.Value.ContainsKey(text)).Distinct(StringComparer.Ordinal);

    private static Dictionary<string, string> LoadTranslated()
    {
        var manager = StringsResources;
        var english = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException("Strings.resx is not embedded.");
        var chinese = CultureInfo.GetCultureInfo("zh-CN");
        var translated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in english)
        {
            if (entry.Key is string key && manager.GetString(key, chinese) is { } zh && zh != key)
            {
                translated[key] = zh;
            }
        }

        return translated;
    }
}
