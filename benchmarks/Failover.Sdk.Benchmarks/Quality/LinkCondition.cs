using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>One network condition of the quality grid: independent loss, and jitter as a fraction of the heartbeat interval.</summary>
internal sealed record LinkCondition(double Loss, double JitterFraction)
{
    /// <summary>
    /// The LAN profile for <paramref name="interval"/>: the simulator draws a delay uniformly in
    /// latency ± jitter and clips it at zero, so the latency is raised by the jitter to keep
    /// the draw whole: a delay uniform in [100 µs, 100 µs + 2 × jitter].
    /// </summary>
    public LinkProfile Profile(TimeSpan interval)
    {
        TimeSpan jitter = interval * JitterFraction;
        return new LinkProfile { Latency = LinkProfile.Lan.Latency + jitter, Jitter = jitter, Loss = Loss };
    }

    public string Label => $"{Loss * 100:0.#} % loss, jitter {JitterFraction * 100:0} %";
}
