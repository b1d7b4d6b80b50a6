using Failover.Sdk.Runners;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Failover.Sdk.Tests.Runners.InProcessWorkloads;

namespace Failover.Sdk.Tests.Runners;

public sealed class TaskWorkloadRunnerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = NewClock();
    private readonly RecordingSignals _signals = new();

    // Bodies that ignore their stop wait on this; released when the test ends so none outlives it.
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IWorkloadInstance> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        foreach (IWorkloadInstance instance in _started)
        {
            await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_started_task_answers_probes_at_once_with_the_predefined_response()
    {
        IWorkloadInstance instance = await StartAsync("orders", (_, ct) => Task.Delay(Timeout.Infinite, ct));

        AssertProbesAnswered(instance, _signals);
        Assert.False(instance.Exited.IsCompleted);
    }

    [Fact]
    public async Task A_body_that_returns_ends_Completed_and_answers_no_probe_after()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("orders", async (_, _) => await proceed.Task);
        AssertProbesAnswered(instance, _signals);

        proceed.SetResult();
        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Completed, exit.Kind);
        Assert.False(exit.WasStopped);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_that_throws_ends_Crashed_with_the_exception_type_and_message()
    {
        IWorkloadInstance instance = await StartAsync("orders", async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("ledger is gone");
        });

        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Contains("System.InvalidOperationException", exit.Detail, StringComparison.Ordinal);
        Assert.Contains("ledger is gone", exit.Detail, StringComparison.Ordinal);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_cancelled_by_a_token_of_its_own_has_crashed_not_stopped()
    {
        IWorkloadInstance instance = await StartAsync("orders", async (_, _) =>
        {
            using var own = new CancellationTokenSource();
            await own.CancelAsync();
            await Task.Delay(Timeout.Infinite, own.Token);
        });

        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Contains("TaskCanceledException", exit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_honours_its_token_ends_Stopped_without_the_grace_period_passing()
    {
        var tokenSeen = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("orders", async (_, ct) =>
        {
            tokenSeen.SetResult(ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
        CancellationToken token = await tokenSeen.Task.WaitAsync(Deadline);

        WorkloadExit exit = await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);

        Assert.True(token.IsCancellationRequested);
        Assert.Equal(WorkloadExitKind.Stopped, exit.Kind);
        Assert.True(exit.WasStopped);
        Assert.Equal(exit, await instance.Exited);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_that_ignores_its_token_is_Killed_after_the_grace_period_and_abandoned()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("orders", async (_, _) =>
        {
            running.SetResult();
            await _release.Task;
        });
        await running.Task.WaitAsync(Deadline);

        Task<WorkloadExit> stopping = instance.StopAsync(Grace, CancellationToken.None);
        AssertProbeUnanswered(instance, _signals);
        WorkloadExit exit = await AdvancePastGraceAsync(_time, stopping);

        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.Equal("task did not honour cancellation within 5000 ms; abandoned (a task cannot be killed)", exit.Detail);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_that_throws_something_else_when_stopped_has_crashed_while_stopping()
    {
        IWorkloadInstance instance = await StartAsync("orders", async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                throw new IOException("flush failed");
            }
        });

        WorkloadExit exit = await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Equal("System.IO.IOException: flush failed (while stopping)", exit.Detail);
    }

    [Fact]
    public async Task Stopping_an_ended_run_returns_its_exit_at_once()
    {
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => Task.CompletedTask);
        WorkloadExit ended = await instance.Exited.WaitAsync(Deadline);

        Task<WorkloadExit> stopping = instance.StopAsync(Grace, CancellationToken.None);

        Assert.True(stopping.IsCompleted);
        Assert.Equal(ended, await stopping);
    }

    [Fact]
    public async Task A_heartbeat_from_the_body_reaches_the_signals()
    {
        IWorkloadInstance instance = await StartAsync("orders", async (context, ct) =>
        {
            context.Heartbeat();
            context.Heartbeat();
            context.Heartbeat();
            await Task.Delay(Timeout.Infinite, ct);
        });

        await Support.Eventually.TrueAsync(() => _signals.Heartbeats == 3, "three heartbeats from the body");
        Assert.False(instance.Exited.IsCompleted);
    }

    [Fact]
    public async Task The_body_sees_its_workload_node_and_fencing_token_in_its_context()
    {
        var seen = new TaskCompletionSource<WorkloadContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("billing", (context, ct) =>
        {
            seen.SetResult(context);
            return Task.Delay(Timeout.Infinite, ct);
        });

        WorkloadContext context = await seen.Task.WaitAsync(Deadline);

        Assert.Equal("billing", context.WorkloadId);
        Assert.Equal(NodeId, context.NodeId);
        Assert.Equal(FencingToken, context.FencingToken);
        Assert.Equal("billing", instance.WorkloadId);
        Assert.Equal(FencingToken, instance.FencingToken);
        Assert.Null(instance.ProcessId);
    }

    [Fact]
    public async Task A_body_that_blocks_synchronously_does_not_block_the_start()
    {
        using var gate = new ManualResetEventSlim();

        // Released only after StartAsync has returned: a start that ran the body inline would time the body out.
        IWorkloadInstance instance = await StartAsync("orders", (_, ct) =>
            gate.Wait(Deadline, ct) ? Task.CompletedTask : throw new TimeoutException("the start waited for the body"));
        gate.Set();

        Assert.Equal(WorkloadExitKind.Completed, (await instance.Exited.WaitAsync(Deadline)).Kind);
    }

    [Fact]
    public async Task A_task_workload_without_a_body_is_a_start_failure_naming_it()
    {
        var runner = new TaskWorkloadRunner(_time, NullLogger<TaskWorkloadRunner>.Instance);

        WorkloadStartException failure = await Assert.ThrowsAsync<WorkloadStartException>(
            () => runner.StartAsync(Launch(TaskWorkload("orders", null), _signals), CancellationToken.None).AsTask());

        Assert.Equal("orders", failure.WorkloadId);
        Assert.Contains("without a task body", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_returns_no_task_has_crashed()
    {
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => null!);

        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Contains("returned null", exit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_a_running_task_stops_it_with_no_grace()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("orders", async (_, _) =>
        {
            running.SetResult();
            await _release.Task;
        });
        await running.Task.WaitAsync(Deadline);

        await instance.DisposeAsync().AsTask().WaitAsync(Deadline);

        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);
        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.StartsWith("task did not honour cancellation within 0 ms", exit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_launches_and_grace_periods_are_refused_with_typed_errors()
    {
        var runner = new TaskWorkloadRunner(_time, NullLogger<TaskWorkloadRunner>.Instance);
        WorkloadDescriptor thread = ThreadWorkload("orders", (_, _) => { });
        WorkloadDescriptor task = TaskWorkload("orders", (_, ct) => Task.Delay(Timeout.Infinite, ct));

        ArgumentException wrongKind = await Assert.ThrowsAsync<ArgumentException>(() => runner.StartAsync(Launch(thread, _signals), CancellationToken.None).AsTask());
        Assert.Contains("Thread workload", wrongKind.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => runner.StartAsync(new WorkloadLaunch(task, NodeId, 0, _signals), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => runner.StartAsync(null!, CancellationToken.None).AsTask());

        IWorkloadInstance instance = await StartAsync("orders", (_, ct) => Task.Delay(Timeout.Infinite, ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => instance.StopAsync(TimeSpan.FromMilliseconds(-1), CancellationToken.None));
        Assert.False(instance.Exited.IsCompleted);
    }

    private async Task<IWorkloadInstance> StartAsync(string id, Func<WorkloadContext, CancellationToken, Task> body)
    {
        var runner = new TaskWorkloadRunner(_time, NullLogger<TaskWorkloadRunner>.Instance);
        Assert.Equal(WorkloadKind.Task, runner.Kind);
        IWorkloadInstance instance = await runner.StartAsync(Launch(TaskWorkload(id, body), _signals), CancellationToken.None).AsTask().WaitAsync(Deadline);
        _started.Add(instance);
        return instance;
    }
}
