using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Agent;

/// <summary>The agent's log messages; event ids 2000-2099 are stable.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(2000, LogLevel.Information, "Node {NodeId} (incarnation {Incarnation}) started: {Transport} transport, {PathCount} path(s), {PeerCount} peer(s), heartbeat every {IntervalMs} ms, suspicion after {Missed} missed")]
    public static partial void Started(ILogger logger, uint nodeId, uint incarnation, FailoverTransportKind transport, int pathCount, int peerCount, double intervalMs, int missed);

    [LoggerMessage(2007, LogLevel.Information, "Failure detector {Detector}: phi threshold {PhiThreshold}, minimum deviation {MinStdDeviationMs} ms, acceptable pause {AcceptablePauseMs} ms, rise {RiseCount}")]
    public static partial void DetectorConfigured(ILogger logger, FailoverDetectorKind detector, double phiThreshold, double minStdDeviationMs, double acceptablePauseMs, int riseCount);

    [LoggerMessage(2001, LogLevel.Information, "Peer {NodeId} is up (incarnation {Incarnation}, was {Previous})")]
    public static partial void PeerUp(ILogger logger, uint nodeId, uint incarnation, PeerState previous);

    [LoggerMessage(2002, LogLevel.Warning, "Peer {NodeId} (incarnation {Incarnation}) is down: no heartbeat on any path for {SilenceMs:F0} ms ({Missed} x {IntervalMs} ms)")]
    public static partial void PeerDown(ILogger logger, uint nodeId, uint incarnation, double silenceMs, int missed, double intervalMs);

    [LoggerMessage(2003, LogLevel.Warning, "Peer {NodeId} restarted faster than it could be suspected: incarnation {Previous} -> {Incarnation}")]
    public static partial void PeerRestarted(ILogger logger, uint nodeId, uint previous, uint incarnation);

    [LoggerMessage(2004, LogLevel.Warning, "Peer {NodeId} is down: never heard from in {SilenceMs:F0} ms since start")]
    public static partial void PeerNeverHeard(ILogger logger, uint nodeId, double silenceMs);

    [LoggerMessage(2005, LogLevel.Debug, "Heartbeat to peer {NodeId} on path {PathId} was not sent")]
    public static partial void HeartbeatNotSent(ILogger logger, uint nodeId, ushort pathId);

    [LoggerMessage(2006, LogLevel.Error, "A {EventName} subscriber threw; liveness tracking goes on")]
    public static partial void SubscriberFailed(ILogger logger, string eventName, Exception exception);

    [LoggerMessage(2008, LogLevel.Critical, "Node {NodeId} stopped heartbeating and watching its peers after an unexpected error; its peers will report it down")]
    public static partial void LoopFailed(ILogger logger, uint nodeId, Exception exception);

    [LoggerMessage(2009, LogLevel.Warning, "Path {PathId} to peer {NodeId} (incarnation {Incarnation}) is suspected: no heartbeat on it for {SilenceMs:F0} ms (was {Previous})")]
    public static partial void PathSuspected(ILogger logger, ushort pathId, uint nodeId, uint incarnation, double silenceMs, PathState previous);

    // The level is the caller's: a path heard again after a suspicion is news, one first heard is not.
    [LoggerMessage(EventId = 2010, Message = "Path {PathId} to peer {NodeId} is up (incarnation {Incarnation}, was {Previous})")]
    public static partial void PathUp(ILogger logger, LogLevel level, ushort pathId, uint nodeId, uint incarnation, PathState previous);
}
