using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Failover.Sdk.Tests.Runners.InProcessWorkloads;

namespace Failover.Sdk.Tests.Runners;

public sealed class ThreadWorkloadRunnerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = NewClock();
    private readonly RecordingSignals _signals = new();

    // Bodies that ignore their stop wait on this; set when the test ends so no thread outlives it.
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
    public async Task The_body_runs_on_a_named_background_thread_of_its_own_and_probes_are_answered()
    {
        var seen = new TaskCompletionSource<(string? Name, bool IsBackground, bool IsPool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("orders", (_, ct) =>
        {
            Thread self = Thread.CurrentThread;
            seen.SetResult((self.Name, self.IsBackground, self.IsThreadPoolThread));
            ct.WaitHandle.WaitOne(Deadline);
        });

        (string? name, bool isBackground, bool isPool) = await seen.Task.WaitAsync(Deadline);

        Assert.Equal("failover:orders", name);
        Assert.True(isBackground);
        Assert.False(isPool);
        AssertProbesAnswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_that_returns_ends_Completed_and_answers_no_probe_after()
    {
        using var proceed = new ManualResetEventSlim();
        IWorkloadInstance instance = await StartAsync("orders", (_, ct) => proceed.Wait(Deadline, ct));
        AssertProbesAnswered(instance, _signals);

        proceed.Set();
        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Completed, exit.Kind);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_that_throws_ends_Crashed_with_the_exception_type_and_message_and_the_process_lives_on()
    {
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => throw new FormatException("bad record 17"));

        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Equal("System.FormatException: bad record 17", exit.Detail);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_that_returns_when_its_token_fires_ends_Stopped()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("orders", (_, ct) =>
        {
            running.SetResult();
            ct.WaitHandle.WaitOne(Deadline);
        });
        await running.Task.WaitAsync(Deadline);

        WorkloadExit exit = await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Stopped, exit.Kind);
        Assert.Equal("returned when asked to stop", exit.Detail);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_body_that_throws_on_its_token_ends_Stopped()
    {
        IWorkloadInstance instance = await StartAsync("orders", (_, ct) =>
        {
            ct.WaitHandle.WaitOne(Deadline);
            ct.ThrowIfCancellationRequested();
        });

        WorkloadExit exit = await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Stopped, exit.Kind);
        Assert.Equal("cancelled when asked to stop", exit.Detail);
    }

    [Fact]
    public async Task A_body_that_ignores_its_token_is_Killed_after_the_grace_period_and_abandoned()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("orders", (_, _) =>
        {
            running.SetResult();
            _release.Task.Wait(Deadline, CancellationToken.None);
            finished.SetResult();
        });
        await running.Task.WaitAsync(Deadline);

        Task<WorkloadExit> stopping = instance.StopAsync(Grace, CancellationToken.None);
        AssertProbeUnanswered(instance, _signals);
        WorkloadExit exit = await AdvancePastGraceAsync(_time, stopping);

        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.Equal("thread did not stop within 5000 ms; abandoned (threads cannot be killed)", exit.Detail);
        Assert.False(finished.Task.IsCompleted);

        // The abandoned thread runs on, unwatched: its ending later changes nothing.
        _release.TrySetResult();
        await finished.Task.WaitAsync(Deadline);
        Assert.Equal(exit, await instance.Exited);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_heartbeat_from_the_body_reaches_the_signals()
    {
        IWorkloadInstance instance = await StartAsync("orders", (context, ct) =>
        {
            context.Heartbeat();
            context.Heartbeat();
            ct.WaitHandle.WaitOne(Deadline);
        });

        await Eventually.TrueAsync(() => _signals.Heartbeats == 2, "two heartbeats from the thread");
        Assert.False(instance.Exited.IsCompleted);
    }

    [Fact]
    public async Task The_body_sees_its_workload_node_and_fencing_token_in_its_context()
    {
        var seen = new TaskCompletionSource<WorkloadContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        IWorkloadInstance instance = await StartAsync("billing", (context, ct) =>
        {
            seen.SetResult(context);
            ct.WaitHandle.WaitOne(Deadline);
        });

        WorkloadContext context = await seen.Task.WaitAsync(Deadline);

        Assert.Equal("billing", context.WorkloadId);
        Assert.Equal(NodeId, context.NodeId);
        Assert.Equal(FencingToken, context.FencingToken);
        Assert.Equal(FencingToken, instance.FencingToken);
        Assert.Null(instance.ProcessId);
    }

    [Fact]
    public async Task A_thread_workload_without_a_body_is_a_start_failure_naming_it()
    {
        var runner = new ThreadWorkloadRunner(_time, NullLogger<ThreadWorkloadRunner>.Instance);

        WorkloadStartException failure = await Assert.ThrowsAsync<WorkloadStartException>(
            () => runner.StartAsync(Launch(ThreadWorkload("orders", null), _signals), CancellationToken.None).AsTask());

        Assert.Equal("orders", failure.WorkloadId);
        Assert.Contains("without a thread body", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_workload_is_refused_by_the_thread_runner()
    {
        var runner = new ThreadWorkloadRunner(_time, NullLogger<ThreadWorkloadRunner>.Instance);

        ArgumentException failure = await Assert.ThrowsAsync<ArgumentException>(
            () => runner.StartAsync(Launch(TaskWorkload("orders", (_, ct) => Task.Delay(Timeout.Infinite, ct)), _signals), CancellationToken.None).AsTask());

        Assert.Contains("Task workload", failure.Message, StringComparison.Ordinal);
    }

    private async Task<IWorkloadInstance> StartAsync(string id, Action<WorkloadContext, CancellationToken> body)
    {
        var runner = new ThreadWorkloadRunner(_time, NullLogger<ThreadWorkloadRunner>.Instance);
        Assert.Equal(WorkloadKind.Thread, runner.Kind);
        IWorkloadInstance instance = await runner.StartAsync(Launch(ThreadWorkload(id, body), _signals), CancellationToken.None).AsTask().WaitAsync(Deadline);
        _started.Add(instance);
        return instance;
    }
}
