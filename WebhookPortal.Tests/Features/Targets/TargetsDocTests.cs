using System.Globalization;
using System.Text;

namespace WebhookPortal.Tests.Features.Targets;

/// <summary>docs/targets.md's table of the kinds is generated from the registry; this keeps the two equal.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class TargetsDocTests
{
    private const string TableStart = "<!-- targets:start (generated from WebhookTargets.All; TargetsDocTests prints it) -->";
    private const string TableEnd = "<!-- targets:end -->";

    [Fact]
    public void Docs_list_every_target_as_the_registry_defines_it()
    {
        Assert.Equal(Table(), Between(TargetsDoc(), TableStart, TableEnd));
    }

    private static string Table()
    {
        var table = new StringBuilder(
            "| target | stored as | recognised by host | presets | success | permanent codes | rate-limit codes | robot signing | size limits | default rate limits | source |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var d in WebhookTargets.All)
        {
            var hosts = d.Hosts.Count == 0 ? "any URL no other kind recognises" : string.Join(", ", d.Hosts.Select(h => $"`{h}`"));
            var presets = string.Join(", ", d.Presets.Select(p => $"`{p.Id}`"));
            var permanent = d.Codes is { } codes ? Codes(codes.Permanent) : "—";
            var rateLimited = d.Codes is { } limited
                ? Codes(limited.RateLimited) + (limited.RateLimitWait is { } wait ? $" (then blocked {Span(wait)})" : "")
                : "—";
            var sizes = d.SizeLimits.Count == 0 ? "—" : string.Join("; ", d.SizeLimits.Select(l => $"{l.What} {l.Bytes.ToString(CultureInfo.InvariantCulture)} bytes"));
            var rates = d.RateLimits.Count == 0 ? "—" : string.Join(" and ", d.RateLimits.Select(r => $"{r.Permits} / {Span(r.Window)}"));
            var source = d.Documentation is { } uri ? $"[{uri.Host}]({uri})" : "—";
            table.Append(CultureInfo.InvariantCulture, $"| {d.Label} | `{d.Target}` = {(int)d.Target} | {hosts} | {presets} | {d.SuccessRule} | {permanent} | {rateLimited} | "
                + $"{d.SigningRule ?? "none"} | {sizes} | {rates} | {source} |\n");
        }

        return table.ToString();
    }

    private static string Codes(IEnumerable<long> codes) => string.Join(", ", codes.Order().Select(c => c.ToString(CultureInfo.InvariantCulture)));

    private static string Span(TimeSpan span) => span.TotalMinutes >= 1 && span.Seconds == 0
        ? $"{span.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min"
        : $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"docs/targets.md needs the markers {start} … {end}.");
        return text[(from + start.Length)..to].TrimStart('\n').ReplaceLineEndings("\n");
    }

    private static string TargetsDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var doc = Path.Combine(dir.FullName, "docs", "targets.md");
            if (File.Exists(doc) && File.Exists(Path.Combine(dir.FullName, "WebhookPortal.sln")))
            {
                return File.ReadAllText(doc);
            }
        }

        throw new FileNotFoundException("docs/targets.md next to WebhookPortal.sln was not found above " + AppContext.BaseDirectory);
    }
}
