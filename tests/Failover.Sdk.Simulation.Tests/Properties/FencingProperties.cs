using FsCheck;
using FsCheck.Xunit;
using Failover.Sdk.Simulation.Coordination;
using Failover.Sdk.Simulation.Scenarios;

namespace Failover.Sdk.Simulation.Tests.Properties;

/// <summary>
/// Split-brain safety (BY-1) with the real coordinator on every node and the store reached over
/// the simulated network, over random partitions, pauses and crashes (<see cref="FencedWorld"/>):
/// never two live instances of a workload with valid tokens at one virtual instant, fenced writes
/// accepted only from the newest valid owner, and after healing exactly one owner per workload.
/// </summary>
public sealed class FencingProperties
{
    /// <summary>
    /// The monitor checks rules (a) and (b) at every term begun and every write, in every world;
    /// rule (c) once the last fault has healed and <see cref="FencedWorld.SettleLeases"/> lease
    /// lives have passed. 2,000 worlds take about 20 s on the 2-core build machine alone, about
    /// 40 s with the rest of the suite running beside them.
    /// </summary>
    [Property(MaxTest = 2000, QuietOnSuccess = true)]
    public void Random_partitions_pauses_and_crashes_never_give_two_valid_owners_and_heal_to_one_owner(DoNotSize<ulong> seed)
    {
        FencedWorld world = FencedWorld.Draw(seed.Item);
        ScenarioDefinition definition = world.Definition;
        using var simulation = new Simulation(definition);

        simulation.RunUntil(world.Settled);
        OwnershipMonitor monitor = simulation.Ownership!;
        monitor.CheckSettled();

        PropertyCheck.That(monitor.Violations.Count == 0, definition, () =>
            $"{monitor.Violations.Count} split-brain rule(s) broken (faults healed at {world.Healed}, checked settled at {world.Settled}):{Environment.NewLine}{string.Join(Environment.NewLine, monitor.Violations)}");

        // Not vacuously safe: every workload ran and wrote.
        PropertyCheck.That(monitor.TermsBegun >= monitor.Workloads.Count && monitor.WritesAccepted > 0, definition, () =>
            $"only {monitor.TermsBegun} terms and {monitor.WritesAccepted} accepted writes");
    }

    /// <summary>With coordination on, the same seed still gives the same journal, frames and all, byte for byte.</summary>
    [Property(MaxTest = 20, QuietOnSuccess = true)]
    public void The_same_seed_gives_the_same_journal_with_coordination(DoNotSize<ulong> seed)
    {
        ScenarioDefinition definition = FencedWorld.Draw(seed.Item).Definition with { RecordFrames = true };

        string Run()
        {
            using var simulation = new Simulation(definition);
            return simulation.Run().ToJsonLines();
        }

        string first = Run();
        PropertyCheck.That(first.Contains("\"event\":\"ownershipAcquired\"", StringComparison.Ordinal), definition, () => "no workload was ever owned");
        PropertyCheck.That(first == Run(), definition, () => "two runs of one scenario gave different journals");
    }
}
