namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// Tests that pause, kill or restart processes and judge real-clock deadlines run one at a
/// time, after the rest: on a 2-core machine a neighbour's load would blur their bounds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTime
{
    public const string Name = "etcd real time";
}
