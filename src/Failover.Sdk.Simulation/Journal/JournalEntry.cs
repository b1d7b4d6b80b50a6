using System.Text.Json.Serialization;
using Failover.Sdk.Simulation.Faults;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>
/// One thing that happened in a simulation, at <see cref="At"/> (virtual time since the
/// start of the run). The journal is the run's whole observable history, in order.
/// </summary>
/// <remarks>In JSON lines each entry is an object whose <c>event</c> names the type.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(NodeStarted), "nodeStarted")]
[JsonDerivedType(typeof(NodeStopped), "nodeStopped")]
[JsonDerivedType(typeof(FaultInjected), "faultInjected")]
[JsonDerivedType(typeof(FaultHealed), "faultHealed")]
[JsonDerivedType(typeof(FrameSent), "frameSent")]
[JsonDerivedType(typeof(FrameLost), "frameLost")]
[JsonDerivedType(typeof(FrameDelivered), "frameDelivered")]
[JsonDerivedType(typeof(PeerSuspected), "peerSuspected")]
[JsonDerivedType(typeof(PeerTrusted), "peerTrusted")]
[JsonDerivedType(typeof(PeerRestarted), "peerRestarted")]
[JsonDerivedType(typeof(PathSuspected), "pathSuspected")]
[JsonDerivedType(typeof(PathTrusted), "pathTrusted")]
[JsonDerivedType(typeof(OwnershipAcquired), "ownershipAcquired")]
[JsonDerivedType(typeof(OwnershipEnded), "ownershipEnded")]
[JsonDerivedType(typeof(LeaseLost), "leaseLost")]
[JsonDerivedType(typeof(FencedWriteRefused), "fencedWriteRefused")]
public abstract record JournalEntry([property: JsonPropertyOrder(-1)] TimeSpan At);

/// <summary>An agent started on <paramref name="Node"/> as <paramref name="Incarnation"/>.</summary>
public sealed record NodeStarted(TimeSpan At, uint Node, uint Incarnation) : JournalEntry(At);

/// <summary>The agent on <paramref name="Node"/> stopped running (crash, hang or pause: see the fault just before).</summary>
public sealed record NodeStopped(TimeSpan At, uint Node, uint Incarnation) : JournalEntry(At);

/// <summary>A fault began.</summary>
public sealed record FaultInjected(TimeSpan At, Fault Fault) : JournalEntry(At);

/// <summary>A fault ended.</summary>
public sealed record FaultHealed(TimeSpan At, Fault Fault) : JournalEntry(At);

/// <summary>An agent sent a frame.</summary>
public sealed record FrameSent(TimeSpan At, uint From, uint To, ushort Path) : JournalEntry(At);

/// <summary>A frame was lost on the way, for <paramref name="Reason"/>.</summary>
public sealed record FrameLost(TimeSpan At, uint From, uint To, ushort Path, FrameLossReason Reason) : JournalEntry(At);

/// <summary>A frame reached the receiving transport, after <paramref name="Latency"/>; <paramref name="Duplicate"/> for the network's extra copy.</summary>
public sealed record FrameDelivered(TimeSpan At, uint From, uint To, ushort Path, TimeSpan Latency, bool Duplicate) : JournalEntry(At);

/// <summary><paramref name="Observer"/>'s agent declared <paramref name="Peer"/> down after <paramref name="Silence"/>.</summary>
public sealed record PeerSuspected(TimeSpan At, uint Observer, uint Peer, uint Incarnation, TimeSpan Silence) : JournalEntry(At);

/// <summary><paramref name="Observer"/>'s agent declared <paramref name="Peer"/> up.</summary>
public sealed record PeerTrusted(TimeSpan At, uint Observer, uint Peer, uint Incarnation) : JournalEntry(At);

/// <summary><paramref name="Observer"/>'s agent saw <paramref name="Peer"/> come back as a new incarnation.</summary>
public sealed record PeerRestarted(TimeSpan At, uint Observer, uint Peer, uint PreviousIncarnation, uint Incarnation) : JournalEntry(At);

/// <summary><paramref name="Observer"/>'s agent stopped hearing <paramref name="Peer"/> on <paramref name="Path"/> (the peer may still be up on another).</summary>
public sealed record PathSuspected(TimeSpan At, uint Observer, uint Peer, ushort Path, TimeSpan Silence) : JournalEntry(At);

/// <summary><paramref name="Observer"/>'s agent hears <paramref name="Peer"/> on <paramref name="Path"/> again after suspecting it (a path's first Up is not journaled: the peer's is).</summary>
public sealed record PathTrusted(TimeSpan At, uint Observer, uint Peer, ushort Path) : JournalEntry(At);

/// <summary><paramref name="Node"/>'s coordinator began a term as the one owner of <paramref name="Workload"/>, under fencing token <paramref name="Token"/>, and started it there.</summary>
public sealed record OwnershipAcquired(TimeSpan At, uint Node, string Workload, long Token) : JournalEntry(At);

/// <summary>
/// <paramref name="Node"/>'s term as owner of <paramref name="Workload"/> (token <paramref name="Token"/>)
/// ended, for <paramref name="Reason"/>: as its coordinator said (its lease lapsed or was lost, the
/// store shows another owner, the workload failed), or because its process or node crashed.
/// </summary>
public sealed record OwnershipEnded(TimeSpan At, uint Node, string Workload, long Token, string Reason) : JournalEntry(At);

/// <summary><paramref name="Node"/>'s coordinator gave up lease <paramref name="LeaseId"/>, and with it every workload it owned, for <paramref name="Reason"/>.</summary>
public sealed record LeaseLost(TimeSpan At, uint Node, long LeaseId, string Reason) : JournalEntry(At);

/// <summary>
/// The fenced resource of <paramref name="Workload"/> refused a write from <paramref name="Node"/>
/// under token <paramref name="Token"/>: it had already accepted <paramref name="Newest"/>, a later owner's.
/// </summary>
public sealed record FencedWriteRefused(TimeSpan At, uint Node, string Workload, long Token, long Newest) : JournalEntry(At);
