using Failover.Sdk.Simulation.Coordination;
using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>
/// EX-3: leases are judged by each node's own monotonic clock. An owner whose clock runs slow
/// believes its lease lasts longer than the store does: within the safety margin that is safe,
/// beyond it two nodes hold valid terms at once, and the monitor must say so (a checker that
/// cannot fail proves nothing).
/// </summary>
/// <remarks>
/// The owner's safe life is (TTL - margin) on its clock, (TTL - margin) / rate in true time; the
/// store's lease lasts TTL from the renewal's arrival. Safe while rate ≥ (TTL - margin) / TTL:
/// 0.8 with the simulator's defaults, a drift down to -200,000 ppm.
/// </remarks>
public sealed class ClockDriftSafetyTests
{
    private static readonly TimeSpan CutAt = Seconds(5);
    private static readonly TimeSpan Cut = Seconds(6);

    /// <summary>The owner drifts from the start, then is cut off the store.</summary>
    private static Simulation Run(double partsPerMillion, ulong seed)
    {
        ScenarioDefinition scenario = ThreeNodes(seed)
            .Inject(new ClockDrift(Preferred, partsPerMillion), at: TimeSpan.Zero)
            .Partition(CutAt, Cut, [Preferred], [StoreNode, Other])
            .Lasting(CutAt + Cut + (4 * Lease))
            .Build();
        var simulation = new Simulation(scenario);
        simulation.Run();
        return simulation;
    }

    private static double Rate(double partsPerMillion) => 1 + (partsPerMillion / 1_000_000);

    [Theory]
    [InlineData(-150_000)] // slow, within the margin
    [InlineData(-1_000)]
    [InlineData(100_000)] // fast: stops early, always safe
    public void Drift_within_the_margin_keeps_the_owner_stopping_before_the_takeover(double partsPerMillion)
    {
        Assert.True(Rate(partsPerMillion) > (Lease - Margin) / Lease);
        using Simulation simulation = Run(partsPerMillion, seed: 51);

        OwnershipEnded stopped = Assert.Single(simulation.Journal.Endings(Preferred));
        OwnershipAcquired takeover = Assert.Single(simulation.Journal.Acquisitions(Other));
        Assert.True(stopped.At < takeover.At, $"node {Preferred} stopped at {stopped.At}, node {Other} took over at {takeover.At}");
        simulation.AssertNoViolations();
        simulation.AssertSettled();
    }

    [Fact]
    public void Drift_beyond_the_margin_overlaps_two_valid_terms_and_the_monitor_reports_it()
    {
        const double Drift = -300_000; // the owner's clock runs at 0.7: its 1.6 s of safe life last 2.29 s
        Assert.True(Rate(Drift) < (Lease - Margin) / Lease);
        using Simulation simulation = Run(Drift, seed: 52);

        OwnershipEnded stopped = Assert.Single(simulation.Journal.Endings(Preferred));
        OwnershipAcquired takeover = Assert.Single(simulation.Journal.Acquisitions(Other));
        Assert.True(takeover.At < stopped.At, "the drifting owner should still hold its term when the other side takes over");

        IReadOnlyList<OwnershipViolation> violations = simulation.Ownership!.Violations;
        OwnershipViolation overlap = Assert.Single(violations, v => v.Rule == OwnershipRule.OverlappingTerms);
        Assert.Equal(takeover.At, overlap.At);
        Assert.Equal([Other, Preferred], overlap.Nodes);
        Assert.Equal(takeover.Token, overlap.Tokens[0]);
        Assert.Contains($"node {Preferred} still held a valid term", overlap.Detail, StringComparison.Ordinal);
        Assert.Contains(overlap.At.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), overlap.ToString(), StringComparison.Ordinal);

        // Meanwhile the drifting owner kept writing under its older token: the fence held, but the
        // refusals came while its term was (wrongly) still valid.
        Assert.Contains(violations, v => v.Rule == OwnershipRule.ValidWriteRefused && v.Nodes[0] == Preferred);
        Assert.All(violations.Where(v => v.Rule == OwnershipRule.ValidWriteRefused), v => Assert.InRange(v.At, takeover.At, stopped.At));
    }
}
