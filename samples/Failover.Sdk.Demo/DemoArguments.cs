using System.Globalization;
using Failover.Sdk.Configuration;

namespace Failover.Sdk.Demo;

/// <summary>The demo's command line: every switch optional.</summary>
internal sealed record DemoArguments
{
    public const string Usage = """
        Failover.Sdk demo: runs a failover scenario on the deterministic simulator.

          dotnet run --project samples/Failover.Sdk.Demo -- [options]

          --seed <n>              seed of every random draw (default 1)
          --scenario <file.json>  run this scenario instead of the built-in one
          --detector fixed|phi    failure detector of the built-in scenario (default fixed)
          --phi <threshold>       phi threshold with --detector phi (default 8)
          --svg <file.svg>        where to write the timeline picture (default failover-demo.svg)
          --journal <file.jsonl>  also write the full journal, one JSON event per line
          --save-scenario <file>  also write the scenario that ran, as JSON (replay it with --scenario)
          --help                  this text
        """;

    public ulong Seed { get; init; } = 1;

    public string? ScenarioFile { get; init; }

    public FailoverDetectorKind Detector { get; init; } = FailoverDetectorKind.Fixed;

    public double PhiThreshold { get; init; } = 8;

    public string SvgFile { get; init; } = "failover-demo.svg";

    public string? JournalFile { get; init; }

    public string? SaveScenarioFile { get; init; }

    public bool Help { get; init; }

    /// <exception cref="ArgumentException">An unknown switch, a missing value, or a value that does not parse; the message says which.</exception>
    public static DemoArguments Parse(IReadOnlyList<string> args)
    {
        var result = new DemoArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            result = name switch
            {
                "--seed" => result with { Seed = ulong.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed : throw new ArgumentException($"--seed wants a whole number from 0 to {ulong.MaxValue}, not '{args[i]}'.") },
                "--scenario" => result with { ScenarioFile = Value() },
                "--detector" => result with
                {
                    Detector = Value() switch
                    {
                        "fixed" => FailoverDetectorKind.Fixed,
                        "phi" => FailoverDetectorKind.PhiAccrual,
                        string other => throw new ArgumentException($"--detector is 'fixed' or 'phi', not '{other}'."),
                    },
                },
                "--phi" => result with { PhiThreshold = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double phi) && phi > 0 && double.IsFinite(phi) ? phi : throw new ArgumentException($"--phi wants a positive number, not '{args[i]}'.") },
                "--svg" => result with { SvgFile = Value() },
                "--journal" => result with { JournalFile = Value() },
                "--save-scenario" => result with { SaveScenarioFile = Value() },
                "--help" or "-h" => result with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return result;
    }
}
