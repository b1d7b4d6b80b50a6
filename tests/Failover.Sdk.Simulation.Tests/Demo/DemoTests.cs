using System.Diagnostics;
using System.Reflection;
using System.Xml.Linq;

namespace Failover.Sdk.Simulation.Tests.Demo;

/// <summary>The README's first command: the demo program, run as a real process.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("failover-demo-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string DemoPath => typeof(DemoTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DemoPath").Value!;

    [Fact]
    public async Task The_default_scenario_reports_each_fault_writes_the_svg_and_replays_from_its_saved_scenario()
    {
        string svg = Path.Combine(_directory, "run.svg");
        string journal = Path.Combine(_directory, "run.jsonl");
        string scenario = Path.Combine(_directory, "scenario.json");

        (int exit, string output, string errors) = await RunAsync("--svg", svg, "--journal", journal, "--save-scenario", scenario);

        Assert.True(exit == 0, $"exit {exit}: {errors}");
        Assert.Contains("NIC 2/1 fails", output, StringComparison.Ordinal);
        Assert.Contains("node 3 crashes", output, StringComparison.Ordinal);
        Assert.Contains("partition {1,2} | {3,4}", output, StringComparison.Ordinal);
        Assert.Contains("suspects node 3", output, StringComparison.Ordinal);
        Assert.Contains("sees node 3 back as incarnation 2", output, StringComparison.Ordinal);
        Assert.Contains("loses node 2 on path 1", output, StringComparison.Ordinal);

        // The workload starts on node 3, moves to node 4 when node 3 crashes, and never has two owners.
        Assert.Contains("Workload report-generator runs on exactly one of nodes 3, 4", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+0\.\d{3} s  \* owns      node 3 owns report-generator \(token \d+\)\n", output);
        Assert.Matches(@"\n\s+2[01]\.\d{3} s  workload report-generator moved 3 -> 4 with token \d+ \(held by 3 since 0\.\d{3} s; its term ended at 20\.000 s: its node crashed\)\n", output);
        Assert.Contains("Split brain: none.", output, StringComparison.Ordinal);
        Assert.Matches(@"During the partition \{1,2\} \| \{3,4\} \(40-50 s\): node 4 stopped report-generator at 4[01]\.\d{3} s \(lease \d+ ended: it was not renewed before its safe life ran out\); no split brain\.", output);
        XDocument picture = XDocument.Load(svg);
        Assert.Equal("svg", picture.Root!.Name.LocalName);

        string replayed = Path.Combine(_directory, "replayed.jsonl");
        (exit, _, errors) = await RunAsync("--scenario", scenario, "--svg", Path.Combine(_directory, "replayed.svg"), "--journal", replayed);

        Assert.True(exit == 0, $"exit {exit}: {errors}");
        Assert.Equal(await File.ReadAllTextAsync(journal), await File.ReadAllTextAsync(replayed));
    }

    [Theory]
    [InlineData("--seed", "minus-one", "--seed wants a whole number")]
    [InlineData("--detector", "psychic", "--detector is 'fixed' or 'phi'")]
    [InlineData("--frobnicate", "", "Unknown option '--frobnicate'")]
    public async Task Bad_arguments_exit_2_and_say_what_is_wrong(string name, string value, string message)
    {
        string[] arguments = value.Length == 0 ? [name] : [name, value];

        (int exit, _, string errors) = await RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.Contains(message, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_file_that_is_not_a_scenario_exits_2_naming_the_problem()
    {
        string scenario = Path.Combine(_directory, "bad.json");
        await File.WriteAllTextAsync(scenario, """{ "seed": 1, "nodes": [ { "id": 1, "role": "Manager", "nics": [ { "pathId": 1, "switch": "nowhere" } ] } ] }""");

        (int exit, _, string errors) = await RunAsync("--scenario", scenario);

        Assert.Equal(2, exit);
        Assert.Contains("switch 'nowhere'", errors, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(DemoPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"The demo did not finish within 2 minutes: {string.Join(' ', arguments)}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
