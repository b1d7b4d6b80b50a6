namespace Failover.Sdk.Simulation.Journal;

/// <summary>Why the simulated network lost a frame.</summary>
public enum FrameLossReason
{
    /// <summary>The link's random loss.</summary>
    Loss,

    /// <summary>The sender or the target has no NIC on the frame's path.</summary>
    NoNic,

    /// <summary>The sender's or the target's NIC has failed.</summary>
    NicDown,

    /// <summary>A switch on the way has failed.</summary>
    SwitchDown,

    /// <summary>No WAN route joins the two LANs (none configured, or every one cut).</summary>
    NoRoute,

    /// <summary>The two nodes are on different sides of a partition.</summary>
    Partitioned,

    /// <summary>The target node is down, or no agent listens on it.</summary>
    NodeDown,

    /// <summary>The target is paused or hung and its receive buffer is full.</summary>
    BufferFull,
}
