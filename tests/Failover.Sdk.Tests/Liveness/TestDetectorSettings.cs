using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

/// <summary>Detector settings for tests that feed timestamps by hand.</summary>
internal static class TestDetectorSettings
{
    /// <summary>The fixed k-missed detector with rise 1; <paramref name="timeout"/> is k x interval in ticks.</summary>
    public static FailureDetectorSettings Fixed(long timeout) =>
        new(FailoverDetectorKind.Fixed, timeout, timeout, PhiThreshold: 8, PhiMinStdDeviation: 1, AcceptableHeartbeatPause: 0, RiseCount: 1);
}
