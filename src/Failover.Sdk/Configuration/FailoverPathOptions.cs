namespace Failover.Sdk.Configuration;

/// <summary>One network path of this node: a NIC and the transport bound to it.</summary>
public sealed class FailoverPathOptions
{
    /// <summary>The path id stamped on frames; unique among this node's paths, 1 or more.</summary>
    public ushort Id { get; set; } = 1;

    /// <summary>
    /// The local address and port to bind, e.g. <c>127.0.0.1:7001</c> or <c>[::1]:7001</c>.
    /// Required for UDP and TCP; ignored in memory.
    /// </summary>
    public string? LocalEndPoint { get; set; }
}
