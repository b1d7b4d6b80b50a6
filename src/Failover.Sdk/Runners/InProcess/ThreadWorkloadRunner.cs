using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>
/// Runs <see cref="WorkloadKind.Thread"/> workloads: the descriptor's body on a dedicated
/// background thread named <c>failover:{id}</c>, stopped by cancelling its token.
/// </summary>
internal sealed class ThreadWorkloadRunner : IWorkloadRunner
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ThreadWorkloadRunner(TimeProvider time, ILogger<ThreadWorkloadRunner> logger)
    {
        _time = time;
        _logger = logger;
    }

    public WorkloadKind Kind => WorkloadKind.Thread;

    /// <exception cref="ArgumentException">The workload is not a thread, or the launch has no fencing token.</exception>
    public ValueTask<IWorkloadInstance> StartAsync(WorkloadLaunch launch, CancellationToken cancellationToken)
    {
        InProcessLaunch.Check(launch, Kind);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IWorkloadInstance>(cancellationToken);
        }

        Action<WorkloadContext, CancellationToken>? body = launch.Workload.ThreadBody;
        if (body is null)
        {
            return ValueTask.FromException<IWorkloadInstance>(
                new WorkloadStartException(launch.Workload.Id, "it is a thread workload without a thread body."));
        }

        WorkloadContext context = InProcessLaunch.ContextFor(launch);
        var cancel = new CancellationTokenSource();
        CancellationToken token = cancel.Token;
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Background, so an abandoned thread cannot keep the process alive when the host exits.
        var thread = new Thread(() => Run(body, context, ended, token))
        {
            IsBackground = true,
            Name = $"failover:{launch.Workload.Id}",
        };
        try
        {
            thread.Start();
        }
#pragma warning disable CA1031 // Whatever stops a thread from starting (out of memory, thread limits) is a start failure of this workload.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            cancel.Dispose();
            return ValueTask.FromException<IWorkloadInstance>(
                new WorkloadStartException(launch.Workload.Id, $"its thread did not start: {InProcessLaunch.Describe(ex)}", ex));
        }

        var instance = new CooperativeInstance(launch, cancel, ended.Task, "thread did not stop", "threads cannot be killed", _time, _logger);
        instance.LogStarted();
        instance.Watch();
        return ValueTask.FromResult<IWorkloadInstance>(instance);
    }

    private static void Run(Action<WorkloadContext, CancellationToken> body, WorkloadContext context, TaskCompletionSource ended, CancellationToken token)
    {
        try
        {
            body(context, token);
            ended.TrySetResult();
        }
#pragma warning disable CA1031 // An exception that escapes a thread ends the process; here it is how the run ended.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ended.TrySetException(ex);
        }
    }
}
