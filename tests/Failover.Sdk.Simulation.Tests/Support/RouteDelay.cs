using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Support;

/// <summary>
/// The one-way delays a frame can see on a route, from the link model as documented on
/// <see cref="LinkProfile"/>: each hop adds its latency plus a uniform draw in ±jitter,
/// floored at zero; a reordered frame is held back one more crossing at latency plus jitter
/// per hop. Derived from the profiles, never measured, so tests can hold runs to it.
/// </summary>
internal readonly record struct RouteDelay(TimeSpan Min, TimeSpan Max)
{
    /// <summary>The most two frames' delays on this route can differ by.</summary>
    public TimeSpan Spread => Max - Min;

    public static RouteDelay Of(params LinkProfile[] hops)
    {
        long min = 0;
        long max = 0;
        bool reorders = false;
        foreach (LinkProfile hop in hops)
        {
            min += Math.Max(0, hop.Latency.Ticks - hop.Jitter.Ticks);
            max += hop.Latency.Ticks + hop.Jitter.Ticks;
            reorders |= hop.Reordering > 0;
        }

        return new RouteDelay(TimeSpan.FromTicks(min), TimeSpan.FromTicks(reorders ? 2 * max : max));
    }

    /// <summary>The wider of two routes' ranges: for bounds that must hold on either.</summary>
    public RouteDelay Union(RouteDelay other) => new(Min < other.Min ? Min : other.Min, Max > other.Max ? Max : other.Max);
}
