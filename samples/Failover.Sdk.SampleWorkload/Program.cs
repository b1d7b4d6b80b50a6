// A process workload: the program a Failover agent starts for a workload of kind Process.
// The agent passes who it is and how to reach it in FAILOVER_* environment variables;
// WorkloadClient reads them and answers the monitor's probe keys from a thread of its own,
// so a process that hangs (or is frozen) stops answering and is moved, and one that dies is
// seen at once by its agent.
//
// It stops when the agent sends SIGTERM (the graceful stop; after the workload's
// StopTimeout the agent kills it). Run by hand, without an agent, it says so and exits.
using System.Globalization;
using System.Runtime.InteropServices;
using Failover.Sdk.Workloads;

await using WorkloadClient? failover = WorkloadClient.FromEnvironment();
if (failover is null)
{
    Console.Error.WriteLine("Not started by a Failover agent: the FAILOVER_* variables are not set.");
    return 2;
}

using var stopping = new CancellationTokenSource();
using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    // Leave through the end of Main, not at once: the work loop finishes its step first.
    context.Cancel = true;
    stopping.Cancel();
});

failover.Start();
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"workload {failover.WorkloadId} runs as process {Environment.ProcessId} on node {failover.NodeId} with fencing token {failover.FencingToken}"));

// The work: here only a pause. A real workload would write to its resources here, with
// failover.FencingToken on every write so that a resource can refuse a stale run's writes.
try
{
    await Task.Delay(Timeout.InfiniteTimeSpan, stopping.Token);
}
catch (OperationCanceledException)
{
    // SIGTERM: a clean stop.
}

return 0;
