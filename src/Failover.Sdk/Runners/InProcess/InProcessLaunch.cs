using Failover.Sdk.Workloads;

namespace Failover.Sdk.Runners;

/// <summary>The checks and the context every in-process runner starts a run with.</summary>
internal static class InProcessLaunch
{
    /// <exception cref="ArgumentNullException"><paramref name="launch"/> is null.</exception>
    /// <exception cref="ArgumentException">The workload is of another kind than the runner starts.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The launch carries no fencing token.</exception>
    public static void Check(WorkloadLaunch launch, WorkloadKind runnerKind)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.Workload.Kind != runnerKind)
        {
            throw new ArgumentException(
                $"Workload '{launch.Workload.Id}' is a {launch.Workload.Kind} workload; this runner starts {runnerKind} workloads.", nameof(launch));
        }

        // Tokens are store revisions, so a real one is positive; a run without one could not fence its writes (BY-1).
        if (launch.FencingToken <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(launch), launch.FencingToken, $"Workload '{launch.Workload.Id}' cannot start without a fencing token.");
        }
    }

    /// <summary>The context the run's code is given: its heartbeats go straight to the signals (FS-5).</summary>
    public static WorkloadContext ContextFor(WorkloadLaunch launch) =>
        new(launch.Workload.Id, launch.NodeId, launch.FencingToken, launch.Signals.OnHeartbeat);

    /// <summary>An exception as one line for an exit's detail: its type and message.</summary>
    public static string Describe(Exception exception) => $"{exception.GetType().FullName}: {exception.Message}";
}
