namespace Failover.Sdk.Simulation.Coordination;

/// <summary>The split-brain rules <see cref="OwnershipMonitor"/> checks (BY-1).</summary>
public enum OwnershipRule
{
    /// <summary>
    /// (a) A node began a valid term for a workload while another node whose OS is up (its
    /// process alive, running, hung or paused) still held a valid term for it by its own clock:
    /// two live instances with valid tokens at one instant.
    /// </summary>
    OverlappingTerms,

    /// <summary>(b) The fenced resource accepted a write under a token while another node held a valid term with a larger one.</summary>
    StaleWriteAccepted,

    /// <summary>(b) The fenced resource refused a write from a node whose term was still valid.</summary>
    ValidWriteRefused,

    /// <summary>
    /// (c) After the faults healed and the run settled, a workload did not have exactly one
    /// owner in the store, held by that node under a valid term, and by no other node.
    /// </summary>
    NotSettled,
}
