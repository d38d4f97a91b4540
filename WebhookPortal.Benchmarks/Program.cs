using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using WebhookPortal.Benchmarks;
using WebhookPortal.Benchmarks.Load;
using WebhookPortal.Benchmarks.Micro;

// dotnet run -c Release --project WebhookPortal.Benchmarks -- [--quick] [--micro-only | --load-only] [--only a,b,b-pg,b-pg3,h,h-pg,…]
//     [--repeat N] [--json PATH]
var quick = args.Contains("--quick");
var onlyIndex = Array.IndexOf(args, "--only");
IReadOnlySet<string>? only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1].Split(',').ToHashSet() : null;
var repeatIndex = Array.IndexOf(args, "--repeat");
var repeat = repeatIndex >= 0 && repeatIndex + 1 < args.Length ? int.Parse(args[repeatIndex + 1], System.Globalization.CultureInfo.InvariantCulture) : 1;
if (repeat < 1)
{
    Console.Error.WriteLine("--repeat needs a number of at least 1.");
    return 2;
}

var runMicro = !args.Contains("--load-only");
var runLoad = !args.Contains("--micro-only");
var jsonIndex = Array.IndexOf(args, "--json");
var json = jsonIndex >= 0 && jsonIndex + 1 < args.Length
    ? args[jsonIndex + 1]
    : Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "results", quick ? "quick.json" : "latest.json");

// A scenario in a process of its own, started by the load run (LoadScenarios.InChildAsync): --child f --child-results PATH.
var childIndex = Array.IndexOf(args, LoadScenarios.ChildArgument);
var childResultsIndex = Array.IndexOf(args, LoadScenarios.ChildResultsArgument);
if (childIndex >= 0)
{
    if (childIndex + 1 >= args.Length || childResultsIndex < 0 || childResultsIndex + 1 >= args.Length)
    {
        Console.Error.WriteLine($"{LoadScenarios.ChildArgument} needs a scenario and {LoadScenarios.ChildResultsArgument} a file.");
        return 2;
    }

    var childResults = new RunResults();
    Console.WriteLine($"Scenario {args[childIndex + 1]} in its own process ({Environment.ProcessId}) on {Machine.Describe()}");
    await new LoadScenarios(quick ? LoadSizes.Quick : LoadSizes.Full, childResults, Console.Out).RunChildAsync(args[childIndex + 1]);
    childResults.WriteJson(args[childResultsIndex + 1], quick);
    return 0;
}

var results = new RunResults();
var total = Stopwatch.StartNew();
Console.WriteLine($"WebhookPortal benchmarks ({(quick ? "quick" : "full")}) on {Machine.Describe()}");

if (runMicro)
{
    // In process: no generated project to build, and the same code as the load run. Quick: one pass of each, to prove it runs.
    var job = (quick ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
    var config = ManualConfig.CreateMinimumViable().AddJob(job).WithOptions(ConfigOptions.DisableLogFile);
    var summary = BenchmarkRunner.Run<MicroBenchmarks>(config);
    if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
    {
        Console.Error.WriteLine("A micro benchmark failed.");
        return 1;
    }

    foreach (var report in summary.Reports)
    {
        var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        results.Add("micro", report.BenchmarkCase.Descriptor.WorkloadMethod.Name, report.ResultStatistics?.Mean ?? double.NaN, "ns/op",
            $"{allocated} B allocated/op");
    }
}

if (runLoad)
{
    await new LoadScenarios(quick ? LoadSizes.Quick : LoadSizes.Full, results, Console.Out, only, repeat).RunAsync();
    using var self = Process.GetCurrentProcess();
    results.Add("run", "peak working set of the whole run", self.PeakWorkingSet64 / (1024.0 * 1024), "MB", "every scenario in this process (f runs in its own)");
}

Console.WriteLine();
Console.WriteLine(results.ToMarkdown());
results.WriteJson(json, quick);
Console.WriteLine($"Results written to {Path.GetFullPath(json)}; {total.Elapsed.TotalSeconds:F0} s in all.");
return 0;
