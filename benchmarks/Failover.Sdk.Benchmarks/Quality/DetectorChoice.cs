using Failover.Sdk.Configuration;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>A detector of the quality grid: the fixed k-missed detector, or φ accrual at a threshold (other settings at their defaults).</summary>
internal sealed record DetectorChoice(FailoverDetectorKind Kind, double PhiThreshold = 8)
{
    public static DetectorChoice Fixed { get; } = new(FailoverDetectorKind.Fixed);

    public static DetectorChoice Phi(double threshold) => new(FailoverDetectorKind.PhiAccrual, threshold);

    public string Label => Kind == FailoverDetectorKind.Fixed ? "fixed k=3" : $"φ {PhiThreshold:0.#}";

    public AgentProfile Apply(AgentProfile profile) => profile with { Detector = Kind, PhiThreshold = PhiThreshold };
}
