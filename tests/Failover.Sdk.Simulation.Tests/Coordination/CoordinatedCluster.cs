using Failover.Sdk.Simulation.Coordination;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using Failover.Sdk.Simulation.Tests.Support;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>
/// The small coordinated world most coordination tests run: three nodes on one LAN, the store on
/// node 1, and workload <see cref="Workload"/> whose candidates are node 2 (preferred: it starts
/// campaigning first) and node 3.
/// </summary>
internal static class CoordinatedCluster
{
    public const string Workload = "w";

    public const uint StoreNode = 1;

    public const uint Preferred = 2;

    public const uint Other = 3;

    public static readonly CoordinationDefinition Settings = new() { CampaignStagger = TimeSpan.FromMilliseconds(300) };

    public static TimeSpan Lease => Settings.LeaseTimeToLive;

    public static TimeSpan Margin => Settings.LeaseSafetyMargin;

    /// <summary>The coordinator's default: a third of the lease's safe life.</summary>
    public static TimeSpan RenewInterval => (Settings.LeaseTimeToLive - Settings.LeaseSafetyMargin) / 3;

    public static Scenario ThreeNodes(ulong seed, CoordinationDefinition? settings = null) => Scenario.Create(seed)
        .SingleLan(3)
        .WithCoordination(settings ?? Settings)
        .Workload(Workload, Preferred, Other)
        .RecordFrames(false);

    public static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>The terms begun, in order.</summary>
    public static OwnershipAcquired[] Acquisitions(this SimulationJournal journal, uint? node = null) =>
        [.. journal.OfType<OwnershipAcquired>().Where(a => node is null || a.Node == node)];

    /// <summary>The terms ended, in order.</summary>
    public static OwnershipEnded[] Endings(this SimulationJournal journal, uint? node = null) =>
        [.. journal.OfType<OwnershipEnded>().Where(e => node is null || e.Node == node)];

    /// <summary>Fails with every violation and the replayable scenario when the monitor saw any.</summary>
    public static void AssertNoViolations(this Simulation simulation)
    {
        IReadOnlyList<OwnershipViolation> violations = simulation.Ownership!.Violations;
        Assert.True(violations.Count == 0, $"split-brain rules broken:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}{Environment.NewLine}{Replay.Describe(simulation.Definition)}");
    }

    /// <summary>Checks rule (c) now: exactly one owner, holding a valid term, and nobody else.</summary>
    public static void AssertSettled(this Simulation simulation)
    {
        IReadOnlyList<OwnershipViolation> unsettled = simulation.Ownership!.CheckSettled();
        Assert.True(unsettled.Count == 0, $"not settled:{Environment.NewLine}{string.Join(Environment.NewLine, unsettled)}");
    }
}
