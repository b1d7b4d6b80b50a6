using System.Globalization;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>The quality and loopback modes' settings, from <c>--name value</c> pairs after the mode.</summary>
internal sealed record QualityOptions
{
    /// <summary>Crashes per cell of the detection grid.</summary>
    public int Crashes { get; init; } = 200;

    /// <summary>Observers of every crash (each gives one detection time).</summary>
    public int Observers { get; init; } = 2;

    /// <summary>Simulated hours per cell of the false-suspicion grid (two nodes: two watched pairs).</summary>
    public double Hours { get; init; } = 50;

    /// <summary>Simulated hours per loss rate of the p^-k check (two nodes: two watched pairs).</summary>
    public double MistakeHours { get; init; } = 600;

    public ulong Seed { get; init; } = 1;

    /// <summary>Simulations run at once; each is single-threaded.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>Loopback trials of the fast profile.</summary>
    public int FastTrials { get; init; } = 200;

    /// <summary>Loopback trials of the default profile.</summary>
    public int DefaultTrials { get; init; } = 50;

    /// <summary>Where the markdown report also goes; stdout only when null.</summary>
    public string? Output { get; init; }

    /// <exception cref="ArgumentException">An unknown option, a missing value, or a value out of range.</exception>
    public static QualityOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new QualityOptions();
        for (int i = 0; i < args.Length; i += 2)
        {
            string name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option '{name}' needs a value.", nameof(args));
            }

            string value = args[i + 1];
            options = name switch
            {
                "--crashes" => options with { Crashes = Positive(name, value) },
                "--observers" => options with { Observers = Positive(name, value) },
                "--hours" => options with { Hours = PositiveHours(name, value) },
                "--mistake-hours" => options with { MistakeHours = PositiveHours(name, value) },
                "--seed" => options with { Seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed : throw Bad(name, value, "a whole number") },
                "--parallel" => options with { Parallel = Positive(name, value) },
                "--fast-trials" => options with { FastTrials = Positive(name, value) },
                "--default-trials" => options with { DefaultTrials = Positive(name, value) },
                "--out" => options with { Output = value },
                _ => throw new ArgumentException($"Unknown option '{name}'. Known: --crashes, --observers, --hours, --mistake-hours, --seed, --parallel, --fast-trials, --default-trials, --out.", nameof(args)),
            };
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw Bad(name, value, "a positive whole number");

    private static double PositiveHours(string name, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double h) && h > 0 && h <= 1_000_000 ? h : throw Bad(name, value, "a positive number of hours");

    private static ArgumentException Bad(string name, string value, string expected) =>
        new($"Option '{name}' is '{value}'; expected {expected}.", nameof(value));
}
