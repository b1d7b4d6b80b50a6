using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Topology;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>
/// Everything a simulation run depends on: the seed, the topology, the agents' settings
/// and the fault schedule. The same definition gives the same journal, byte for byte, so a
/// failing run saved as JSON (<see cref="ScenarioJson"/>) replays exactly.
/// </summary>
/// <remarks>Build one with <see cref="Scenario.Create"/>, or load one with <see cref="ScenarioJson.Parse"/>.</remarks>
public sealed record ScenarioDefinition
{
    /// <summary>The seed of every random draw in the run.</summary>
    public ulong Seed { get; init; }

    /// <summary>How long the run lasts in virtual time.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The agents' failure-detection settings.</summary>
    public AgentProfile Agent { get; init; } = AgentProfile.Default;

    /// <summary>Which nodes each agent watches.</summary>
    public PeerSelection Peers { get; init; } = PeerSelection.FullMesh;

    /// <summary>For <see cref="PeerSelection.Ring"/>: how many peers each node watches.</summary>
    public int PeerDegree { get; init; } = 2;

    /// <summary>The LAN segments.</summary>
    public IReadOnlyList<LanDefinition> Lans { get; init; } = [];

    /// <summary>The switches, each in a LAN.</summary>
    public IReadOnlyList<SwitchDefinition> Switches { get; init; } = [];

    /// <summary>The WAN links between LANs.</summary>
    public IReadOnlyList<WanDefinition> Wans { get; init; } = [];

    /// <summary>The nodes, each with its NICs.</summary>
    public IReadOnlyList<NodeDefinition> Nodes { get; init; } = [];

    /// <summary>The faults, in any order; those at the same instant apply in list order.</summary>
    public IReadOnlyList<ScheduledFault> Faults { get; init; } = [];

    /// <summary>
    /// The coordination store, the agents' leases and the workloads that must run on exactly
    /// one node (BY-1); null (the default) for none: then no store, coordinator or workload
    /// runs, and the run costs what it did before coordination existed.
    /// </summary>
    public CoordinationDefinition? Coordination { get; init; }

    /// <summary>
    /// Whether the journal records every frame sent, lost and delivered. On by default;
    /// off for large runs, where frames would fill memory and only the failure handling matters.
    /// </summary>
    public bool RecordFrames { get; init; } = true;
}
