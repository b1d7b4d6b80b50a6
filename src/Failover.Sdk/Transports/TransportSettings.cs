using Failover.Sdk.Telemetry;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Failover.Sdk.Transports;

/// <summary>What every transport needs, whatever carries its frames.</summary>
internal sealed record TransportSettings
{
    public required uint LocalNodeId { get; init; }

    public required ushort PathId { get; init; }

    public FrameWriter Writer { get; init; } = new();

    /// <summary>Each transport makes its own <see cref="FrameReader"/> (and so its own replay window) from these.</summary>
    public FrameReaderOptions ReaderOptions { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    public FailoverMetrics Metrics { get; init; } = FailoverMetrics.Disabled;
}
