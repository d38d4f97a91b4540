using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace WebhookPortal.Benchmarks;

/// <summary>One number of a run.</summary>
/// <param name="Scenario">The issue's letter (a–g, b/a) or <c>micro</c>.</param>
/// <param name="Target">The issue's target for this number, if it has one.</param>
/// <param name="Met">Whether the target was met; null without a target.</param>
public sealed record Result(string Scenario, string Metric, double Value, string Unit, string Detail, string Target, bool? Met);

/// <summary>Collects a run's numbers and writes them as a Markdown table and as JSON.</summary>
public sealed class RunResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<Result> items = [];

    public IReadOnlyList<Result> Items => items;

    public void Add(string scenario, string metric, double value, string unit, string detail, string target = "", bool? met = null) =>
        items.Add(new Result(scenario, metric, value, unit, detail, target, met));

    /// <summary>The table for the console and <c>docs/benchmarks.md</c>.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | metric | value | unit | target | met | detail |");
        text.AppendLine("|---|---|---:|---|---|---|---|");
        foreach (var r in items)
        {
            var met = r.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Metric} | {Format(r.Value)} | {r.Unit} | {r.Target} | {met} | {r.Detail} |");
        }

        return text.ToString();
    }

    /// <summary>Writes the results with the machine's description to <paramref name="path"/>.</summary>
    public void WriteJson(string path, bool quick)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new
        {
            quick,
            finishedAt = DateTimeOffset.UtcNow,
            machine = Machine.Describe(),
            results = items,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Indented));
    }

    /// <summary>Adds the results of a file <see cref="WriteJson"/> wrote (a scenario run in a process of its own).</summary>
    public void AddFrom(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        items.AddRange(document.RootElement.GetProperty("results").Deserialize<List<Result>>() ?? []);
    }

    /// <summary>A number as the table shows it: thousands grouped, one decimal from 10, three below, up to seven below 0.01.</summary>
    public static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        >= 0.01 or <= 0 => value.ToString("F3", CultureInfo.InvariantCulture),
        // A ratio of a few thousandths or less would read 0.000.
        _ => value.ToString("0.000####", CultureInfo.InvariantCulture),
    };
}

/// <summary>What the numbers were measured on.</summary>
public static class Machine
{
    public static string Describe()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} logical cores, {memory:F1} GB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}, {GarbageCollector()}";
    }

    /// <summary>
    /// The garbage collector this process runs, as the runtime reports it (the project's setting or a <c>DOTNET_gcServer</c>,
    /// <c>DOTNET_gcConcurrent</c>, <c>DOTNET_GCDynamicAdaptationMode</c> variable, which wins): e.g. "server GC with DATAS,
    /// concurrent, 2 heaps" or "workstation GC, concurrent". DATAS (dynamic adaptation to application sizes) applies to the
    /// server GC only; .NET 9 and later enable it by default.
    /// </summary>
    public static string GarbageCollector()
    {
        var settings = GC.GetConfigurationVariables();
        var concurrent = settings.TryGetValue("ConcurrentGC", out var c) && c is true;
        var datas = settings.TryGetValue("GCDynamicAdaptationMode", out var d) && Convert.ToInt64(d, CultureInfo.InvariantCulture) == 1;
        var heaps = settings.TryGetValue("HeapCount", out var h) ? Convert.ToInt64(h, CultureInfo.InvariantCulture) : 1;
        var kind = GCSettings.IsServerGC ? (datas ? "server GC with DATAS" : "server GC") : "workstation GC";
        return $"{kind}, {(concurrent ? "concurrent" : "non-concurrent")}" + (GCSettings.IsServerGC ? $", up to {heaps} heaps" : "");
    }
}
