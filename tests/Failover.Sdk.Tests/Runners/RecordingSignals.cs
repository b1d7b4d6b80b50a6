using System.Collections.Concurrent;
using Failover.Sdk.Runners;

namespace Failover.Sdk.Tests.Runners;

/// <summary>Records every probe answer and heartbeat a run sends, from any thread.</summary>
internal sealed class RecordingSignals : IWorkloadSignals
{
    private int _heartbeats;

    public ConcurrentQueue<(UInt128 Key, UInt128 Response)> Answers { get; } = new();

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    public void OnProbeAnswered(UInt128 key, UInt128 response) => Answers.Enqueue((key, response));

    public void OnHeartbeat() => Interlocked.Increment(ref _heartbeats);
}
