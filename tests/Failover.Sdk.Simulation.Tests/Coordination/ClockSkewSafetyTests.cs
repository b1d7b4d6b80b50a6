using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Journal;
using Failover.Sdk.Simulation.Scenarios;
using static Failover.Sdk.Simulation.Tests.Coordination.CoordinatedCluster;

namespace Failover.Sdk.Simulation.Tests.Coordination;

/// <summary>
/// EX-3: a step of the owner's wall clock (an NTP correction, a wrong time zone) changes
/// nothing, because leases are judged on the monotonic clock: the owner keeps its one term.
/// </summary>
public sealed class ClockSkewSafetyTests
{
    [Theory]
    [InlineData(3600)]
    [InlineData(-3600)]
    public void A_wall_clock_step_on_the_owner_ends_no_term_and_moves_nothing(int seconds)
    {
        ScenarioDefinition scenario = ThreeNodes(seed: 61)
            .Inject(new ClockSkew(Preferred, TimeSpan.FromSeconds(seconds)), at: Seconds(3))
            .Lasting(Seconds(3) + (6 * Lease))
            .Build();
        using var simulation = new Simulation(scenario);
        simulation.Run();

        OwnershipAcquired only = Assert.Single(simulation.Journal.Acquisitions());
        Assert.Equal(Preferred, only.Node);
        Assert.Empty(simulation.Journal.Endings());
        simulation.AssertNoViolations();
        simulation.AssertSettled();
    }
}
