using FsCheck;
using FsCheck.Xunit;
using Failover.Sdk.Liveness;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Properties;

/// <summary>Property (b): on a healthy network no live peer is ever suspected.</summary>
public sealed class NoFalseSuspicionProperties
{
    /// <summary>
    /// "Healthy" is stated in <see cref="RandomWorld.DelayBudget"/>: no fault; either no loss
    /// with delays (jitter and reordering included) inside (k − 1) × I for the fixed detector
    /// or within I with a spread of I/10 for φ accrual; or loss up to 1 % a hop with k = 8
    /// and delays within I/2, where a false suspicion needs seven heartbeats in a row lost on
    /// every path (at most 10⁻⁴ over the 1,000 runs at the worst loss).
    /// </summary>
    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public void On_a_healthy_network_no_live_peer_is_ever_suspected(DoNotSize<ulong> seed)
    {
        RandomWorld world = RandomWorld.Draw(seed.Item, new WorldOptions(PhiAccrual: true, Loss: true, Reordering: true, Rise: true));
        ScenarioDefinition definition = world.Scenario.Lasting(world.Interval * 60).Build();

        using var simulation = new Simulation(definition);
        SimulationJournal journal = simulation.Run();

        PropertyCheck.That(!journal.OfType<PeerSuspected>().Any(), definition, () =>
            $"live peers suspected: {string.Join("; ", journal.OfType<PeerSuspected>().Select(s => s.ToString()))}");

        // And every watch relationship came up: the run was not vacuously quiet.
        int watches = PeerPlan.For(definition).Sum(p => p.Value.Select(w => w.Peer).Distinct().Count());
        int trusted = journal.OfType<PeerTrusted>().Count();
        PropertyCheck.That(trusted == watches, definition, () => $"{trusted} peers trusted, expected {watches}");
        foreach (uint node in definition.Nodes.Select(n => n.Id))
        {
            PeerStatus[] peers = [.. simulation.Agent(node)!.GetPeers()];
            PropertyCheck.That(peers.All(p => p.State == PeerState.Up), definition, () => $"node {node} sees {string.Join(", ", peers.Select(p => $"{p.NodeId} {p.State}"))} at the end");
        }
    }
}
