namespace Failover.Sdk.Simulation.Topology;

/// <summary>The part a node plays in failover: what runs on it and what may move to it.</summary>
public enum NodeRole
{
    /// <summary>Runs applications (workloads) that a manager elsewhere monitors.</summary>
    Application,

    /// <summary>Runs a manager: monitors, heartbeats with other managers, decides remedies.</summary>
    Manager,

    /// <summary>An idle node in the provisioning pool, ready to take a failed-over application.</summary>
    Spare,
}
