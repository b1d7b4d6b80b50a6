namespace Failover.Sdk.Simulation.Topology;

/// <summary>Which nodes each agent heartbeats and watches.</summary>
public enum PeerSelection
{
    /// <summary>Every node watches every other node.</summary>
    FullMesh,

    /// <summary>
    /// Nodes in a ring, in id order: each watches its nearest neighbours each way, plus the
    /// node opposite when the degree is odd, so every node has exactly
    /// <see cref="Scenarios.ScenarioDefinition.PeerDegree"/> peers and watching is mutual.
    /// </summary>
    Ring,
}
