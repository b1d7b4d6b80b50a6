using BenchmarkDotNet.Running;
using Failover.Sdk.Benchmarks;

// "scale" and "digest" are stopwatch runs of the simulator; anything else goes to BenchmarkDotNet.
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
