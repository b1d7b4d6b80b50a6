namespace Failover.Sdk.Swap;

/// <summary>How a swap command went, in <see cref="Wire.Frame.CommandStatus"/> of its reply.</summary>
internal enum SwapCommandStatus : byte
{
    /// <summary>Carried out.</summary>
    Done = 1,

    /// <summary>Received and under way (a stop that takes a while, a monitor not yet operational): ask again later.</summary>
    Pending = 2,

    /// <summary>For a terminate: the workload does not run here (any more), which is what the sender wanted.</summary>
    NotRunning = 3,

    /// <summary>The sender's fencing token is older than the run here: the sender is out of date and must not act.</summary>
    StaleToken = 4,

    /// <summary>The runner could not start the workload here.</summary>
    StartFailed = 5,

    /// <summary>Another node still owns the workload in the coordination store (its lease has not expired yet).</summary>
    OwnedElsewhere = 6,

    /// <summary>This node's catalog has no such workload.</summary>
    UnknownWorkload = 7,

    /// <summary>This node may not do it: not an eligible node, or it would monitor its own run (FS-1), or it is stopping.</summary>
    Refused = 8,
}
