using Failover.Sdk.Runners;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Failover.Sdk.Tests.Runners.InProcessWorkloads;

namespace Failover.Sdk.Tests.Runners;

public sealed class HostedServiceWorkloadRunnerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = NewClock();
    private readonly RecordingSignals _signals = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddSingleton(new Ledger("main ledger")).BuildServiceProvider();

    // Services that ignore their stop wait on this; released when the test ends so none outlives it.
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

        await _services.DisposeAsync();
    }

    [Fact]
    public async Task A_started_service_answers_probes_and_was_made_from_the_container_with_its_context()
    {
        var made = new List<(Ledger Ledger, WorkloadContext Context)>();
        IWorkloadInstance instance = await StartAsync("orders", (services, context) =>
        {
            made.Add((services.GetRequiredService<Ledger>(), context));
            return new ScriptedBackgroundService(ct => Task.Delay(Timeout.Infinite, ct));
        });

        AssertProbesAnswered(instance, _signals);
        (Ledger ledger, WorkloadContext context) = Assert.Single(made);
        Assert.Equal("main ledger", ledger.Name);
        Assert.Equal("orders", context.WorkloadId);
        Assert.Equal(NodeId, context.NodeId);
        Assert.Equal(FencingToken, context.FencingToken);
        Assert.Equal(FencingToken, instance.FencingToken);
        Assert.Null(instance.ProcessId);
    }

    [Fact]
    public async Task Each_start_makes_a_fresh_service()
    {
        var made = new List<IHostedService>();
        Func<IServiceProvider, WorkloadContext, IHostedService> factory = (_, _) =>
        {
            var service = new ScriptedBackgroundService(ct => Task.Delay(Timeout.Infinite, ct));
            made.Add(service);
            return service;
        };

        IWorkloadInstance first = await StartAsync("orders", factory);
        await first.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);
        await StartAsync("orders", factory);

        Assert.Equal(2, made.Count);
        Assert.NotSame(made[0], made[1]);
    }

    [Fact]
    public async Task An_ExecuteTask_that_returns_ends_Completed_and_the_service_is_stopped_and_disposed()
    {
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedBackgroundService(async _ => await proceed.Task);
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);
        AssertProbesAnswered(instance, _signals);

        proceed.SetResult();
        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Completed, exit.Kind);
        AssertProbeUnanswered(instance, _signals);
        await Eventually.TrueAsync(() => service.Disposals == 1, "the service that ended by itself is disposed");
        Assert.Equal(1, service.Stops);
    }

    [Fact]
    public async Task An_ExecuteTask_that_throws_ends_Crashed_with_the_exception_type_and_message()
    {
        var service = new ScriptedBackgroundService(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("queue unreachable");
        });
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);

        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Equal("System.InvalidOperationException: queue unreachable", exit.Detail);
        AssertProbeUnanswered(instance, _signals);
        await Eventually.TrueAsync(() => service.Disposals == 1, "the crashed service is disposed");
    }

    [Fact]
    public async Task A_service_that_honours_its_stop_ends_Stopped_and_is_disposed()
    {
        var service = new ScriptedBackgroundService(ct => Task.Delay(Timeout.Infinite, ct));
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);

        WorkloadExit exit = await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Stopped, exit.Kind);
        Assert.True(exit.WasStopped);
        Assert.Equal(1, service.Stops);
        Assert.Equal(1, service.Disposals);
        AssertProbeUnanswered(instance, _signals);
    }

    [Fact]
    public async Task A_plain_hosted_service_is_stopped_with_a_token_and_disposed()
    {
        var service = new ScriptedHostedService(_ => Task.CompletedTask, _ => Task.CompletedTask);
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);
        AssertProbesAnswered(instance, _signals);

        WorkloadExit exit = await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Stopped, exit.Kind);
        Assert.True(service.StopToken.CanBeCanceled);
        Assert.Equal(1, service.Disposals);
    }

    [Fact]
    public async Task A_background_loop_that_ignores_its_stopping_token_is_Killed_after_the_grace_period()
    {
        var service = new ScriptedBackgroundService(async _ => await _release.Task);
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);

        Task<WorkloadExit> stopping = instance.StopAsync(Grace, CancellationToken.None);
        AssertProbeUnanswered(instance, _signals);
        WorkloadExit exit = await AdvancePastGraceAsync(_time, stopping);

        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.Equal("ScriptedBackgroundService did not stop within 5000 ms; abandoned (a hosted service cannot be killed)", exit.Detail);
        await Eventually.TrueAsync(() => service.Disposals == 1, "the abandoned service is still disposed once its StopAsync gave up");
    }

    [Fact]
    public async Task A_StopAsync_that_hangs_is_Killed_after_the_grace_period_and_its_token_fires_then()
    {
        var service = new ScriptedHostedService(_ => Task.CompletedTask, _ => _release.Task);
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);

        Task<WorkloadExit> stopping = instance.StopAsync(Grace, CancellationToken.None);
        await Eventually.TrueAsync(() => service.StopToken.CanBeCanceled, "StopAsync is called");
        Assert.False(service.StopToken.IsCancellationRequested);
        WorkloadExit exit = await AdvancePastGraceAsync(_time, stopping);

        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        Assert.True(service.StopToken.IsCancellationRequested);
        Assert.Equal(0, service.Disposals);
    }

    [Fact]
    public async Task A_StopAsync_that_throws_has_crashed_while_stopping_and_the_service_is_still_disposed()
    {
        var service = new ScriptedHostedService(_ => Task.CompletedTask, _ => throw new IOException("flush failed"));
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);

        WorkloadExit exit = await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(WorkloadExitKind.Crashed, exit.Kind);
        Assert.Equal("System.IO.IOException: flush failed (while stopping)", exit.Detail);
        Assert.Equal(1, service.Disposals);
    }

    [Fact]
    public async Task A_heartbeat_from_the_service_reaches_the_signals()
    {
        IWorkloadInstance instance = await StartAsync("orders", (_, context) => new ScriptedBackgroundService(async ct =>
        {
            context.Heartbeat();
            await Task.Delay(Timeout.Infinite, ct);
        }));

        await Eventually.TrueAsync(() => _signals.Heartbeats == 1, "a heartbeat from ExecuteAsync");
        Assert.False(instance.Exited.IsCompleted);
    }

    [Fact]
    public async Task The_start_token_firing_after_the_start_does_not_stop_the_service()
    {
        var stoppingToken = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new HostedServiceWorkloadRunner(_services, _time, NullLogger<HostedServiceWorkloadRunner>.Instance);
        using var start = new CancellationTokenSource();
        IWorkloadInstance instance = await runner.StartAsync(Launch(HostedWorkload("orders", (_, _) => new ScriptedBackgroundService(ct =>
        {
            stoppingToken.SetResult(ct);
            return Task.Delay(Timeout.Infinite, ct);
        })), _signals), start.Token);
        _started.Add(instance);
        CancellationToken token = await stoppingToken.Task.WaitAsync(Deadline);

        await start.CancelAsync();

        Assert.False(token.IsCancellationRequested);
        AssertProbesAnswered(instance, _signals);
        Assert.Equal(WorkloadExitKind.Stopped, (await instance.StopAsync(Grace, CancellationToken.None).WaitAsync(Deadline)).Kind);
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_factory_that_throws_is_a_start_failure_naming_the_workload_and_the_cause()
    {
        var runner = new HostedServiceWorkloadRunner(_services, _time, NullLogger<HostedServiceWorkloadRunner>.Instance);
        var cause = new KeyNotFoundException("no connection string");

        WorkloadStartException failure = await Assert.ThrowsAsync<WorkloadStartException>(() => runner.StartAsync(
            Launch(HostedWorkload("orders", (_, _) => throw cause), _signals), CancellationToken.None).AsTask());

        Assert.Equal("orders", failure.WorkloadId);
        Assert.Same(cause, failure.InnerException);
        Assert.Contains("no connection string", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_StartAsync_that_throws_is_a_start_failure_and_the_service_is_disposed()
    {
        var service = new ScriptedHostedService(_ => throw new InvalidOperationException("port in use"), _ => Task.CompletedTask);
        var runner = new HostedServiceWorkloadRunner(_services, _time, NullLogger<HostedServiceWorkloadRunner>.Instance);

        WorkloadStartException failure = await Assert.ThrowsAsync<WorkloadStartException>(() => runner.StartAsync(
            Launch(HostedWorkload("orders", (_, _) => service), _signals), CancellationToken.None).AsTask());

        Assert.Equal("orders", failure.WorkloadId);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Contains("port in use", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, service.Disposals);
    }

    [Fact]
    public async Task A_missing_factory_or_a_null_service_is_a_start_failure()
    {
        var runner = new HostedServiceWorkloadRunner(_services, _time, NullLogger<HostedServiceWorkloadRunner>.Instance);

        WorkloadStartException missing = await Assert.ThrowsAsync<WorkloadStartException>(() => runner.StartAsync(
            Launch(HostedWorkload("orders", null), _signals), CancellationToken.None).AsTask());
        WorkloadStartException nothing = await Assert.ThrowsAsync<WorkloadStartException>(() => runner.StartAsync(
            Launch(HostedWorkload("orders", (_, _) => null!), _signals), CancellationToken.None).AsTask());

        Assert.Contains("without a service factory", missing.Message, StringComparison.Ordinal);
        Assert.Contains("returned null", nothing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_a_running_service_stops_it_with_no_grace_and_tears_it_down()
    {
        var service = new ScriptedBackgroundService(async _ => await _release.Task);
        IWorkloadInstance instance = await StartAsync("orders", (_, _) => service);

        await instance.DisposeAsync().AsTask().WaitAsync(Deadline);

        WorkloadExit exit = await instance.Exited.WaitAsync(Deadline);
        Assert.Equal(WorkloadExitKind.Killed, exit.Kind);
        await Eventually.TrueAsync(() => service.Disposals == 1, "the service is disposed in the background");
    }

    private async Task<IWorkloadInstance> StartAsync(string id, Func<IServiceProvider, WorkloadContext, IHostedService> factory)
    {
        var runner = new HostedServiceWorkloadRunner(_services, _time, NullLogger<HostedServiceWorkloadRunner>.Instance);
        Assert.Equal(WorkloadKind.HostedService, runner.Kind);
        IWorkloadInstance instance = await runner.StartAsync(Launch(HostedWorkload(id, factory), _signals), CancellationToken.None).AsTask().WaitAsync(Deadline);
        _started.Add(instance);
        return instance;
    }

    private sealed record Ledger(string Name);
}
