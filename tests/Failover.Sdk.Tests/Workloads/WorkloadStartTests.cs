using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Failover.Sdk.Runners;
using Failover.Sdk.Swap;
using Failover.Sdk.Wire;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Tests.Workloads;

/// <summary>How a node answers a swap's Start command when the run cannot be started (one node, its own store, real time).</summary>
public sealed class WorkloadStartTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly BrokenRunner _runner = new();
    private IHost? _host;

    public async Task InitializeAsync()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFailover(o =>
            {
                o.NodeId = 1;
                o.Swap.CommandTimeout = TimeSpan.FromMilliseconds(100);
            })
            .AddTaskWorkload("w", (_, stop) => Task.Delay(Timeout.Infinite, stop));
        // Registered last, so it is the task runner this node uses.
        builder.Services.AddSingleton<IWorkloadRunner>(_runner);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync().WaitAsync(Deadline);
            _host.Dispose();
        }
    }

    private FailoverWorkloads Workloads => _host!.Services.GetRequiredService<FailoverWorkloads>();

    [Fact]
    public async Task A_runner_that_throws_something_unexpected_is_answered_StartFailed_and_the_ownership_released()
    {
        // The start placement's own attempt failed the same way; wait for it to be over.
        await Support.Eventually.TrueAsync(() => _runner.Starts >= 1 && _host!.Services.GetRequiredService<FailoverCoordinator>().GetTerm("w") is null, "the first start is over");

        var start = new Frame { Command = (byte)SwapCommand.Start, WorkloadId = WorkloadWireIds.Of("w"), SubjectNode = 2 };
        Frame? reply = await Workloads.Commands.SendAsync(1, start, TimeSpan.FromSeconds(2), CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal((byte)SwapCommandStatus.StartFailed, reply?.CommandStatus);
        Assert.Empty(Workloads.GetRuns());
        OwnershipRead owner = await _host!.Services.GetRequiredService<ICoordinationStore>().GetOwnerAsync("w", CancellationToken.None);
        Assert.Null(owner.Owner);
    }

    /// <summary>A runner with a bug: it throws what the runner contract does not allow.</summary>
    private sealed class BrokenRunner : IWorkloadRunner
    {
        private int _starts;

        public int Starts => Volatile.Read(ref _starts);

        public WorkloadKind Kind => WorkloadKind.Task;

        public ValueTask<IWorkloadInstance> StartAsync(WorkloadLaunch launch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _starts);
            throw new InvalidOperationException("a bug in the runner");
        }
    }
}
