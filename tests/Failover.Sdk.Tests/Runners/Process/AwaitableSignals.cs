using System.Collections.Concurrent;
using System.Diagnostics;
using Failover.Sdk.Runners;

namespace Failover.Sdk.Tests.Runners;

/// <summary>Records what a workload tells its agent: every answer by its key, and every heartbeat with when it came.</summary>
internal sealed class AwaitableSignals : IWorkloadSignals
{
    private readonly ConcurrentDictionary<UInt128, TaskCompletionSource<UInt128>> _answers = new();
    private readonly ConcurrentQueue<long> _heartbeats = new();

    public int Heartbeats => _heartbeats.Count;

    public int Answers => _answers.Values.Count(a => a.Task.IsCompleted);

    /// <summary>Completes with the response to <paramref name="key"/> once it arrives.</summary>
    public Task<UInt128> AnswerTo(UInt128 key) => Slot(key).Task;

    public void OnProbeAnswered(UInt128 key, UInt128 response) => Slot(key).TrySetResult(response);

    public void OnHeartbeat() => _heartbeats.Enqueue(Stopwatch.GetTimestamp());

    private TaskCompletionSource<UInt128> Slot(UInt128 key) =>
        _answers.GetOrAdd(key, _ => new TaskCompletionSource<UInt128>(TaskCreationOptions.RunContinuationsAsynchronously));
}
