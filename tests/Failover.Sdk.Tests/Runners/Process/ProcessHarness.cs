using System.Security.Cryptography;
using Failover.Sdk.Configuration;
using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging.Abstractions;

namespace Failover.Sdk.Tests.Runners;

/// <summary>
/// A started local channel and a process runner on the real clock, and every run started
/// through it. Disposing ends them all, by pid: each run is stopped with no grace (its whole
/// tree killed), and any process still alive, the run's or one a test tracked, gets SIGKILL.
/// </summary>
internal sealed class ProcessHarness : IAsyncDisposable
{
    /// <summary>A .NET process starts in well under a second; this allows for a loaded 2-core machine.</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly List<IWorkloadInstance> _instances = [];
    private readonly List<ProcStat> _tracked = [];

    public ProcessHarness(uint nodeId = 7)
    {
        Channel = new LocalWorkloadChannel(TimeProvider.System, NullLogger.Instance, nodeId);
        Channel.Start();
        Runner = new ProcessWorkloadRunner(Channel, TimeProvider.System, NullLogger.Instance);
    }

    public LocalWorkloadChannel Channel { get; }

    public ProcessWorkloadRunner Runner { get; }

    /// <summary>Starts the test workload with <paramref name="arguments"/> and waits for its hello.</summary>
    public async Task<Run> StartAsync(string id, string[] arguments, Action<FailoverWorkloadOptions>? configure = null, long fencingToken = 42, bool waitForHello = true)
    {
        WorkloadDescriptor workload = TestWorkload.Describe(id, arguments, configure);
        var signals = new AwaitableSignals();
        IWorkloadInstance instance = await Runner.StartAsync(new WorkloadLaunch(workload, Channel.NodeId, fencingToken, signals), CancellationToken.None);
        _instances.Add(instance);
        if (ProcStat.TryRead(instance.ProcessId!.Value, out ProcStat identity))
        {
            _tracked.Add(identity);
        }

        if (waitForHello)
        {
            await Eventually.TrueAsync(() => signals.Heartbeats > 0, $"the hello of workload {id} (pid {instance.ProcessId})", StartDeadline);
        }

        return new Run(workload, instance, signals);
    }

    /// <summary>Ends <paramref name="process"/> at cleanup if it is still the same process and alive.</summary>
    public void Track(ProcStat process) => _tracked.Add(process);

    public async ValueTask DisposeAsync()
    {
        foreach (IWorkloadInstance instance in _instances)
        {
            await instance.DisposeAsync();
        }

        foreach (ProcStat process in _tracked)
        {
            if (ProcStat.IsAlive(process))
            {
                UnixSignals.Send(process.ProcessId, UnixSignals.Kill);
            }
        }

        await Channel.DisposeAsync();
    }

    /// <summary>One started run: the workload, its instance, and what it signalled.</summary>
    public sealed record Run(WorkloadDescriptor Workload, IWorkloadInstance Instance, AwaitableSignals Signals)
    {
        public int ProcessId => Instance.ProcessId!.Value;

        public UInt128 ExpectedResponse(UInt128 key) => ProbeDigest.Compute(Workload.ProbeSecret, Workload.WireId, key);

        public static UInt128 NewKey() => new(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)), BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
    }
}
