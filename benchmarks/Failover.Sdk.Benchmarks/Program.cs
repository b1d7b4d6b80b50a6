using BenchmarkDotNet.Running;

if (await Failover.Sdk.Benchmarks.Quality.QualityCommand.TryRunAsync(args)) { return; }

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
