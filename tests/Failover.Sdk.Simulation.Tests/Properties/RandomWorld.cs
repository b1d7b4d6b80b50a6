using Failover.Sdk.Configuration;
using Failover.Sdk.Simulation.Randomness;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Tests.Properties;

/// <summary>What a property allows its random worlds to have.</summary>
/// <param name="PhiAccrual">Whether the detector may be φ accrual (otherwise always fixed).</param>
/// <param name="Loss">Whether links may lose frames (up to 1 % per hop; such worlds run a fixed detector with k = 6).</param>
/// <param name="Reordering">Whether links may reorder frames.</param>
/// <param name="Rise">Whether a fixed detector may need more than one heartbeat to trust again.</param>
internal sealed record WorldOptions(bool PhiAccrual = false, bool Loss = false, bool Reordering = false, bool Rise = false);

/// <summary>
/// A small world drawn from a seed, for property tests: 3 to 6 nodes on one LAN or on two
/// sites, full mesh or a ring, a random heartbeat interval and detector, and links whose
/// latency, jitter and reordering stay inside the budget under which no live peer may be
/// suspected (the "healthy network" of property (b); see <see cref="DelayBudget"/>).
/// </summary>
/// <remarks>
/// Everything is drawn from the seed with the simulator's own <see cref="SimulationRandom"/>,
/// so a seed names one world on every machine; the scenario's JSON (which the failure
/// message prints) replays it without the generator.
/// </remarks>
internal sealed class RandomWorld
{
    private static readonly TimeSpan[] Intervals = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)];
    private static readonly double[] PhiThresholds = [6, 8, 10];

    /// <summary>k for worlds that lose frames: see <see cref="DelayBudget"/>.</summary>
    private const int LossyMissedHeartbeats = 8;

    private readonly SimulationRandom _random;
    private readonly uint _perSite;

    private RandomWorld(ulong seed, WorldOptions options)
    {
        Seed = seed;
        _random = new SimulationRandom(seed).Fork("world");
        Agent = DrawAgent(options);
        Lossy = Agent.MissedHeartbeats == LossyMissedHeartbeats;
        (TimeSpan maxDelay, TimeSpan maxSpread) = DelayBudget(Agent, Lossy);
        bool twoSites = _random.Next(2) == 0;
        double loss = Lossy ? _random.NextDouble() * 0.01 : 0;
        Scenario = Scenario.Create(seed);
        if (twoSites)
        {
            _perSite = 2 + (uint)_random.Next(2);
            // Across sites a frame crosses LAN, WAN, LAN. Of the delay budget each LAN hop takes
            // at most 0.05 + 0.05 (latency + jitter) and the WAN 0.6 + 0.2; of the spread budget
            // (twice the jitter per hop) each LAN hop a quarter and the WAN half.
            Lan = Link(Math.Min(300e-6, 0.05 * maxDelay.TotalSeconds), Math.Min(maxSpread.TotalSeconds / 8, 0.05 * maxDelay.TotalSeconds), loss);
            LinkProfile wan = Link(0.6 * maxDelay.TotalSeconds, Math.Min(maxSpread.TotalSeconds / 4, 0.2 * maxDelay.TotalSeconds), loss);
            CrossSite = RouteDelay.Of(Lan, wan, Lan);
            if (options.Reordering && Agent.Detector == FailoverDetectorKind.Fixed && _random.Next(2) == 0 && 2 * CrossSite.Max <= maxDelay)
            {
                wan = wan with { Reordering = 0.02 + (_random.NextDouble() * 0.2) };
                CrossSite = RouteDelay.Of(Lan, wan, Lan);
            }

            Scenario.TwoSites((int)_perSite, Lan, wan);
            Nodes = 2 * (int)_perSite;
        }
        else
        {
            Nodes = 3 + _random.Next(4);
            Lan = Link(0.5 * maxDelay.TotalSeconds, Math.Min(maxSpread.TotalSeconds / 2, 0.5 * maxDelay.TotalSeconds), loss);
            if (options.Reordering && Agent.Detector == FailoverDetectorKind.Fixed && _random.Next(2) == 0 && 2 * RouteDelay.Of(Lan).Max <= maxDelay)
            {
                Lan = Lan with { Reordering = 0.02 + (_random.NextDouble() * 0.2) };
            }

            Scenario.SingleLan(Nodes, Lan);
            CrossSite = RouteDelay.Of(Lan);
        }

        Scenario.Agent(Agent);
        if (_random.Next(2) == 0)
        {
            int[] degrees = [.. Enumerable.Range(1, Nodes - 1).Where(d => d % 2 == 0 || Nodes % 2 == 0)];
            Scenario.Ring(degrees[_random.Next(degrees.Length)]);
        }

        Scenario.RecordFrames(false);

        // The generator's own promise, checked: a world outside its budget would make a property fail for the wrong reason.
        foreach (RouteDelay route in (RouteDelay[])[RouteDelay.Of(Lan), CrossSite])
        {
            if (route.Max > maxDelay || route.Spread > maxSpread)
            {
                throw new InvalidOperationException($"Seed {seed}: a route ({route}) exceeds the budget ({maxDelay}, spread {maxSpread}).");
            }
        }
    }

    public ulong Seed { get; }

    /// <summary>The builder, topology and agent settled; the property adds faults and the run's length.</summary>
    public Scenario Scenario { get; }

    public AgentProfile Agent { get; }

    public int Nodes { get; }

    public LinkProfile Lan { get; }

    /// <summary>The route between sites (or the LAN, in a one-LAN world).</summary>
    public RouteDelay CrossSite { get; }

    public TimeSpan Interval => Agent.HeartbeatInterval;

    /// <summary>Whether its links lose frames.</summary>
    public bool Lossy { get; }

    public static RandomWorld Draw(ulong seed, WorldOptions options) => new(seed, options);

    /// <summary>
    /// The delays under which a live peer is never suspected, with no frame lost.
    /// <list type="bullet">
    /// <item><description>
    /// Fixed detector: heartbeats leave every interval I and arrive after a delay in
    /// [min, max], so the gap between two arrivals is at most I + (max − min), and the first
    /// one (sent as the agent starts) arrives by max. Suspicion needs a silence above k × I, so
    /// max ≤ (k − 1) × I rules out both. Reordering is covered: a held-back frame is inside
    /// [min, max] as <see cref="RouteDelay"/> computes it.
    /// </description></item>
    /// <item><description>
    /// φ accrual (threshold ≥ 6, minimum deviation I/10): φ reaches the threshold at a silence
    /// of mean + y × deviation, y ≥ 4.5 at φ = 6 (5.2 at 8). The mean of the arrival intervals
    /// is at least I − spread, so the tolerated silence is at least 1.45 × I − spread, while a
    /// gap is at most I + spread: spread ≤ I/10 leaves a wide margin. At the start the history
    /// is seeded at I ± I/4, tolerating over 2 × I, so max ≤ I is safe.
    /// </description></item>
    /// <item><description>
    /// Lossy links (fixed detector, k = 8, loss up to 1 % a hop, so at most 3 % on a
    /// three-hop route): with j heartbeats in a row lost the gap is at most (j + 1) × I +
    /// spread, so with max ≤ I/2 a suspicion needs j ≥ 7 on every path of the pair: at most
    /// 0.03⁷ ≈ 2 × 10⁻¹¹ per window, and about 2,000 windows a run (30 watches × 60
    /// intervals), 10⁻⁴ over all 1,000 runs of a property even at the worst loss; 10⁻¹⁴ a
    /// window on a one-LAN path.
    /// </description></item>
    /// </list>
    /// </summary>
    public static (TimeSpan MaxDelay, TimeSpan MaxSpread) DelayBudget(AgentProfile agent, bool lossy) =>
        lossy ? (agent.HeartbeatInterval / 2, agent.HeartbeatInterval / 2)
        : agent.Detector == FailoverDetectorKind.Fixed
            ? (agent.HeartbeatInterval * (agent.MissedHeartbeats - 1), agent.HeartbeatInterval * (agent.MissedHeartbeats - 1))
            : (agent.HeartbeatInterval, agent.HeartbeatInterval / 10);

    /// <summary>The delays a frame between <paramref name="a"/> and <paramref name="b"/> can see.</summary>
    public RouteDelay Between(uint a, uint b) => _perSite == 0 || (a <= _perSite) == (b <= _perSite) ? RouteDelay.Of(Lan) : CrossSite;

    private AgentProfile DrawAgent(WorldOptions options)
    {
        TimeSpan interval = Intervals[_random.Next(Intervals.Length)];
        if (options.PhiAccrual && _random.Next(2) == 0)
        {
            return new AgentProfile
            {
                HeartbeatInterval = interval,
                MissedHeartbeats = 3,
                Detector = FailoverDetectorKind.PhiAccrual,
                PhiThreshold = PhiThresholds[_random.Next(PhiThresholds.Length)],
                RiseCount = options.Rise ? 1 + _random.Next(2) : 1,
            };
        }

        bool lossy = options.Loss && _random.Next(2) == 0;
        return new AgentProfile
        {
            HeartbeatInterval = interval,

            MissedHeartbeats = lossy ? LossyMissedHeartbeats : 2 + _random.Next(4),
            RiseCount = options.Rise ? 1 + _random.Next(3) : 1,
        };
    }

    /// <summary>A link with latency up to <paramref name="latency"/> s and jitter up to <paramref name="jitter"/> s, never above the latency (so no draw is floored at zero).</summary>
    private LinkProfile Link(double latency, double jitter, double loss)
    {
        double drawnLatency = _random.NextDouble() * latency;
        double drawnJitter = _random.NextDouble() * Math.Min(jitter, drawnLatency);
        return new LinkProfile
        {
            Latency = TimeSpan.FromTicks((long)(drawnLatency * TimeSpan.TicksPerSecond)),
            Jitter = TimeSpan.FromTicks((long)(drawnJitter * TimeSpan.TicksPerSecond)),
            Loss = loss,
        };
    }
}
