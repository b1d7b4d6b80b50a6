using BenchmarkDotNet.Running;
using Failover.Sdk.Benchmarks;

// "quality" and "loopback" measure failure detection; "scale" and "digest" are stopwatch
// runs of the simulator; anything else goes to BenchmarkDotNet.
if (await Failover.Sdk.Benchmarks.Quality.QualityCommand.TryRunAsync(args))
{
    return 0;
}

return args.FirstOrDefault() switch
{
    "scale" => ScaleRuns.Run(args[1..]),
    "digest" => JournalDigest.Run(),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
