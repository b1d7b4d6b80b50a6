using Failover.Sdk.Configuration;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Workloads;

/// <summary>
/// One workload as the agent runs it: its validated options, the number that names it on the
/// wire, the probe secret, and for in-process kinds the code that runs it.
/// </summary>
internal sealed class WorkloadDescriptor
{
    public WorkloadDescriptor(FailoverWorkloadOptions options, byte[] probeSecret)
    {
        Options = options;
        WireId = WorkloadWireIds.Of(options.Id);
        ProbeSecret = probeSecret;
    }

    public FailoverWorkloadOptions Options { get; }

    public string Id => Options.Id;

    public WorkloadKind Kind => Options.Kind;

    /// <summary>The id on the wire (<see cref="Wire.Frame.WorkloadId"/>); unique in the catalog, checked at start.</summary>
    public uint WireId { get; }

    /// <summary>The key of the predefined response (<see cref="ProbeDigest"/>).</summary>
    public byte[] ProbeSecret { get; }

    /// <summary>For <see cref="WorkloadKind.Task"/>.</summary>
    public Func<WorkloadContext, CancellationToken, Task>? TaskBody { get; init; }

    /// <summary>For <see cref="WorkloadKind.Thread"/>.</summary>
    public Action<WorkloadContext, CancellationToken>? ThreadBody { get; init; }

    /// <summary>For <see cref="WorkloadKind.HostedService"/>: makes a fresh service for each run.</summary>
    public Func<IServiceProvider, WorkloadContext, IHostedService>? HostedServiceFactory { get; init; }
}
