using System.Diagnostics;

namespace Failover.Sdk.Telemetry;

/// <summary>The one <see cref="ActivitySource"/> of the SDK, named like its meter.</summary>
internal static class FailoverActivitySource
{
    public const string Name = "Failover.Sdk";

    public static readonly ActivitySource Instance = new(Name);
}
