namespace Failover.Sdk.Simulation.Nodes;

/// <summary>A frame waiting in a stalled node's receive buffer.</summary>
internal readonly record struct HeldFrame(uint From, ushort Path, long SentAt, byte[] Bytes);
