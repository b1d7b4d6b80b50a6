using Failover.Sdk.Configuration;

namespace Failover.Sdk.Simulation.Scenarios;

/// <summary>The failure-detection settings every simulated agent runs with; the same meaning as in <see cref="FailoverOptions"/>.</summary>
public sealed record AgentProfile
{
    /// <summary>The SDK's defaults: 100 ms heartbeats, suspicion after 3 missed.</summary>
    public static AgentProfile Default { get; } = new();

    /// <summary>The fast profile: 10 ms heartbeats, suspicion after 3 missed.</summary>
    public static AgentProfile Fast { get; } = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(10) };

    /// <inheritdoc cref="FailoverOptions.HeartbeatInterval"/>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc cref="FailoverOptions.MissedHeartbeats"/>
    public int MissedHeartbeats { get; init; } = 3;

    /// <inheritdoc cref="FailoverOptions.Detector"/>
    public FailoverDetectorKind Detector { get; init; } = FailoverDetectorKind.Fixed;

    /// <inheritdoc cref="FailoverOptions.PhiThreshold"/>
    public double PhiThreshold { get; init; } = 8;

    /// <inheritdoc cref="FailoverOptions.PhiMinStdDeviation"/>
    public TimeSpan? PhiMinStdDeviation { get; init; }

    /// <inheritdoc cref="FailoverOptions.AcceptableHeartbeatPause"/>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.Zero;

    /// <inheritdoc cref="FailoverOptions.RiseCount"/>
    public int RiseCount { get; init; } = 1;

    /// <summary>Copies these settings onto <paramref name="options"/>.</summary>
    internal void ApplyTo(FailoverOptions options)
    {
        options.HeartbeatInterval = HeartbeatInterval;
        options.MissedHeartbeats = MissedHeartbeats;
        options.Detector = Detector;
        options.PhiThreshold = PhiThreshold;
        options.PhiMinStdDeviation = PhiMinStdDeviation;
        options.AcceptableHeartbeatPause = AcceptableHeartbeatPause;
        options.RiseCount = RiseCount;
    }
}
