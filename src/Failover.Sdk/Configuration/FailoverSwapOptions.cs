namespace Failover.Sdk.Configuration;

/// <summary>Timeouts of the process swap's steps (FS-6), bound from <c>Failover:Swap</c>.</summary>
public sealed class FailoverSwapOptions
{
    /// <summary>
    /// How long one command of a swap (terminate, start, start a monitor) may go unanswered
    /// before it is sent again; a node that has not answered after
    /// <see cref="CommandAttempts"/> sends is taken as unreachable. Default 1 s.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a command is sent before its node is taken as unreachable. Default 3.</summary>
    public int CommandAttempts { get; set; } = 3;

    /// <summary>
    /// How long a new monitor may take to report operational (its first good answer); after
    /// it, the old monitor is kept and another node is tried. Default 10 s.
    /// </summary>
    public TimeSpan MonitorReadyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
