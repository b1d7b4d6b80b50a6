using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Support;

/// <summary>When a fixed ("k missed heartbeats") detector must have suspected a silent peer, derived from the agent's settings.</summary>
internal static class Detection
{
    /// <summary>
    /// How late after its deadline the agent's watch loop can notice a silence: the loop
    /// sleeps until just past the earliest deadline, but never less than a millisecond
    /// (FailoverAgent.DurationAtLeast), so a wake-up shortly before a deadline lands at
    /// most 1 ms after it.
    /// </summary>
    public static readonly TimeSpan WatchGranularity = TimeSpan.FromMilliseconds(1);

    /// <summary>k × interval: the silence a fixed detector tolerates.</summary>
    public static TimeSpan Timeout(AgentProfile agent) => agent.HeartbeatInterval * agent.MissedHeartbeats;

    /// <summary>
    /// The latest a watcher suspects a peer that stopped at <c>t</c>, counted from <c>t</c>: the
    /// peer's last heartbeat was sent at or before <c>t</c> and reaches the watcher at most
    /// <paramref name="route"/>.Max later; the watcher suspects once the silence since that
    /// arrival exceeds k × interval, noticed within <see cref="WatchGranularity"/>.
    /// </summary>
    public static TimeSpan Latest(AgentProfile agent, RouteDelay route) => Timeout(agent) + route.Max + WatchGranularity;

    /// <summary>
    /// The earliest, counted from <c>t</c>, when no frame is lost: heartbeats go every interval,
    /// so the last one was sent after <c>t</c> − interval and arrived at least
    /// <paramref name="route"/>.Min later; suspicion needs the silence to exceed k × interval.
    /// </summary>
    public static TimeSpan Earliest(AgentProfile agent, RouteDelay route) => Timeout(agent) - agent.HeartbeatInterval + route.Min;
}
