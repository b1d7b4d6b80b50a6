namespace Failover.Sdk.Swap;

/// <summary>The commands agents send each other to carry out a process swap (FS-6), in <see cref="Wire.Frame.Command"/>.</summary>
internal enum SwapCommand : byte
{
    /// <summary>Stop your run of the workload (only it: FS-8) and give up its ownership. The fencing epoch names the run the sender means.</summary>
    Terminate = 1,

    /// <summary>Start the workload here; the subject node is the node it failed on. Answered with the new run's fencing token.</summary>
    Start = 2,

    /// <summary>Monitor the workload, which runs on the subject node with the token in the fencing epoch. Answered Done once operational.</summary>
    StartMonitor = 3,

    /// <summary>From a runner to the workload's monitor: the run with this token ended by itself, don't wait for probes to go unanswered.</summary>
    RunEnded = 4,
}
