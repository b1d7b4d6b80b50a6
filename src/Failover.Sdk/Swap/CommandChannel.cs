using System.Collections.Concurrent;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Coordination;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Swap;

/// <summary>
/// Sends swap commands and waits for their replies: each command is sent again every
/// <see cref="FailoverSwapOptions.CommandTimeout"/>, and a node that has not answered after
/// <see cref="FailoverSwapOptions.CommandAttempts"/> sends counts as unreachable. A Pending
/// reply (the node is at it) keeps the wait going up to the caller's own limit. Commands to
/// this node itself go straight to the local handler, with the same retries.
/// </summary>
internal sealed class CommandChannel
{
    private readonly FailoverAgent _agent;
    private readonly TimeProvider _time;
    private readonly FailoverSwapOptions _options;
    private readonly Func<Frame, Task<Frame?>> _local;
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<Frame>> _pending = new();
    private long _nextRequest;

    /// <param name="agent">Sends the commands on every path to their node.</param>
    /// <param name="time">The clock of the timeouts.</param>
    /// <param name="options">The timeouts and attempts.</param>
    /// <param name="local">Carries out a command addressed to this node and returns its reply (null: none yet).</param>
    public CommandChannel(FailoverAgent agent, TimeProvider time, FailoverSwapOptions options, Func<Frame, Task<Frame?>> local)
    {
        _agent = agent;
        _time = time;
        _options = options;
        _local = local;
        _nextRequest = time.GetTimestamp();
    }

    /// <summary>
    /// Sends <paramref name="command"/> to <paramref name="target"/> until a final reply, or
    /// until the node proves unreachable, or <paramref name="limit"/> passes while it keeps
    /// answering Pending. Returns the final reply, or null when there was none.
    /// </summary>
    public async Task<Frame?> SendAsync(uint target, Frame command, TimeSpan limit, CancellationToken cancellationToken)
    {
        ulong requestId = (ulong)Interlocked.Increment(ref _nextRequest);
        Frame request = command with { Type = FrameType.WorkloadCommand, Target = target, RequestId = requestId };
        long deadline = _time.GetTimestamp() + (long)(limit.TotalSeconds * _time.TimestampFrequency);
        int silentSends = 0;
        // Bounded: every turn is one send and one wait of CommandTimeout; silence ends it after
        // CommandAttempts turns, Pending answers at the deadline.
        while (!cancellationToken.IsCancellationRequested)
        {
            Frame? reply = target == _agent.NodeId
                ? await _local(request).ConfigureAwait(false)
                : await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
            if (reply is { } answer && answer.CommandStatus != (byte)SwapCommandStatus.Pending)
            {
                return answer;
            }

            silentSends = reply is null ? silentSends + 1 : 0;
            if (silentSends >= _options.CommandAttempts || _time.GetTimestamp() >= deadline)
            {
                return null;
            }

            if (reply is not null || target == _agent.NodeId)
            {
                // Pending: ask again after a while rather than at once.
                await TokenTasks.DelayAsync(_options.CommandTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }

    /// <summary>A reply arrived from the network.</summary>
    public void OnReply(in Frame reply)
    {
        if (_pending.TryGetValue(reply.RequestId, out TaskCompletionSource<Frame>? waiter))
        {
            waiter.TrySetResult(reply);
        }
    }

    // The waiter's continuation runs inline where the reply is read: the simulator needs every
    // step on its own event loop, and the code up to the swap's next await is short.
    private async Task<Frame?> SendOnceAsync(Frame request, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<Frame>();
        _pending[request.RequestId] = waiter;
        try
        {
            await _agent.SendToPeerAsync(request, cancellationToken).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(_options.CommandTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                return await waiter.Task.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        finally
        {
            _pending.TryRemove(request.RequestId, out _);
        }
    }
}
