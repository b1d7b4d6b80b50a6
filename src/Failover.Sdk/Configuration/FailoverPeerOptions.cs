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

    /// <summary>The LAN segment the peer is on (FS-3, FS-9); the same in every entry of the peer.</summary>
    public string? Lan { get; set; }

    /// <summary>What the peer offers, matched against <see cref="FailoverWorkloadOptions.RequiredTags"/>; the same in every entry of the peer.</summary>
    public IList<string> Tags { get; set; } = [];
}
