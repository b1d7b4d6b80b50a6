namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// The detector-quality modes of the benchmarks program, beside BenchmarkDotNet:
/// <c>quality</c> (the simulator) and <c>loopback</c> (real agents over UDP on 127.0.0.1).
/// </summary>
internal static class QualityCommand
{
    /// <summary>Runs the mode named by <paramref name="args"/>[0]; false when it names none of these.</summary>
    public static async Task<bool> TryRunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            return false;
        }

        switch (args[0])
        {
            case "quality":
                SimulatorQuality.Run(QualityOptions.Parse(args.AsSpan(1)));
                return true;
            case "loopback":
                await LoopbackDetection.RunAsync(QualityOptions.Parse(args.AsSpan(1))).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }
}
