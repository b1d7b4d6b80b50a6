namespace Failover.Sdk.Tests.Wire;

/// <summary>One frame's identity as the replay window sees it.</summary>
public readonly record struct ReplayStep(uint Sender, ushort Path, uint Incarnation, ulong Sequence);
