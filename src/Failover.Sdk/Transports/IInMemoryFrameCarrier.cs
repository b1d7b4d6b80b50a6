namespace Failover.Sdk.Transports;

/// <summary>
/// Carries the frames of an <see cref="InMemoryNetwork"/> from sender to receiver: the seam
/// where a simulator models links, with their latency, loss, duplication and reordering,
/// and the faults of NICs, switches and partitions.
/// </summary>
/// <remarks>
/// Without a carrier the network hands each frame to its receiver at once, on the sending
/// thread. With one, the network gives every sent frame to <see cref="Carry"/> and the
/// carrier decides when (and whether, and how often) to call
/// <see cref="InMemoryNetwork.Deliver"/>.
/// </remarks>
public interface IInMemoryFrameCarrier
{
    /// <summary>Takes charge of a frame just sent.</summary>
    /// <param name="sender">The sending node.</param>
    /// <param name="target">The node the frame is addressed to.</param>
    /// <param name="pathId">The path (NIC) it was sent on.</param>
    /// <param name="frame">The encoded frame; valid only during the call, so copy it to keep it.</param>
    void Carry(uint sender, uint target, ushort pathId, ReadOnlySpan<byte> frame);
}
