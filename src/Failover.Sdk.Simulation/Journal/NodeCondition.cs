namespace Failover.Sdk.Simulation.Journal;

/// <summary>What a node's agent is doing over a stretch of the run.</summary>
internal enum NodeCondition
{
    /// <summary>No agent runs: the node or its process crashed (or has not started yet).</summary>
    Stopped,

    /// <summary>The agent runs.</summary>
    Running,

    /// <summary>The agent exists but nothing in it runs: its process hangs or the node is paused.</summary>
    Frozen,
}
