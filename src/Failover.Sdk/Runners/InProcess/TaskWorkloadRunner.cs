using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Runners;

/// <summary>Runs <see cref="WorkloadKind.Task"/> workloads: the descriptor's async body, stopped by cancelling its token.</summary>
internal sealed class TaskWorkloadRunner : IWorkloadRunner
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TaskWorkloadRunner(TimeProvider time, ILogger<TaskWorkloadRunner> logger)
    {
        _time = time;
        _logger = logger;
    }

    public WorkloadKind Kind => WorkloadKind.Task;

    /// <exception cref="ArgumentException">The workload is not a task, or the launch has no fencing token.</exception>
    public ValueTask<IWorkloadInstance> StartAsync(WorkloadLaunch launch, CancellationToken cancellationToken)
    {
        InProcessLaunch.Check(launch, Kind);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IWorkloadInstance>(cancellationToken);
        }

        Func<WorkloadContext, CancellationToken, Task>? body = launch.Workload.TaskBody;
        if (body is null)
        {
            return ValueTask.FromException<IWorkloadInstance>(
                new WorkloadStartException(launch.Workload.Id, "it is a task workload without a task body."));
        }

        WorkloadContext context = InProcessLaunch.ContextFor(launch);
        var cancel = new CancellationTokenSource();
        CancellationToken token = cancel.Token;

        // Task.Run, so a body that blocks before its first await holds up a pool thread, not the agent.
        Task running = Task.Run(() => body(context, token) ?? throw new InvalidOperationException("The task body returned null instead of a task."), CancellationToken.None);
        var instance = new CooperativeInstance(launch, cancel, running, "task did not honour cancellation", "a task cannot be killed", _time, _logger);
        instance.LogStarted();
        instance.Watch();
        return ValueTask.FromResult<IWorkloadInstance>(instance);
    }
}
