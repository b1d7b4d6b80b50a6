namespace Failover.Sdk.Configuration;

/// <summary>A peer node reached on one of this node's paths. List a peer once per path it is reachable on.</summary>
public sealed class FailoverPeerOptions
{
    /// <summary>The peer's node id (non-zero, not this node's).</summary>
    public uint NodeId { get; set; }

    /// <summary>The id of this node's path the peer is reached on.</summary>
    public ushort PathId { get; set; } = 1;

    /// <summary>The peer's address and port on that path, e.g. <c>127.0.0.1:7002</c>. Required for UDP and TCP; ignored in memory.</summary>
    public string? EndPoint { get; set; }
}
