namespace Failover.Sdk.Configuration;

/// <summary>How an agent decides that a path to a peer has gone silent (FS-15, BY-4).</summary>
public enum FailoverDetectorKind
{
    /// <summary>Suspect after <see cref="FailoverOptions.MissedHeartbeats"/> intervals of silence: simple and predictable.</summary>
    Fixed,

    /// <summary>
    /// The φ accrual detector: learns the arrival pattern and suspects once the silence is
    /// unlikely enough (<see cref="FailoverOptions.PhiThreshold"/>); adapts to jittery networks.
    /// </summary>
    PhiAccrual,
}
