using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Transports;

/// <summary>
/// Log messages of the transports. Event ids 1000-1099 belong to this folder and never
/// change meaning once released. <c>suppressed</c> counts the same event dropped by a
/// <see cref="LogThrottle"/> since the previous message, so a flood shows as one line.
/// </summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Path {PathId}: {Kind} transport started on {EndPoint}.")]
    public static partial void Started(ILogger logger, ushort pathId, string kind, EndPoint endPoint);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Path {PathId}: {Kind} transport stopped.")]
    public static partial void Stopped(ILogger logger, ushort pathId, string kind);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Path {PathId}: the {Kind} transport's loops did not stop within {Timeout}; abandoning them.")]
    public static partial void StopTimedOut(ILogger logger, ushort pathId, string kind, TimeSpan timeout);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Path {PathId}: rejected input from {Remote}: {Reason} ({Suppressed} more rejections not logged).")]
    public static partial void InputRejected(ILogger logger, ushort pathId, string remote, FrameRejectReason reason, long suppressed);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Path {PathId}: the frame handler threw on a {FrameType} frame from node {Sender} ({Suppressed} more failures not logged).")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, ushort pathId, FrameType frameType, uint sender, long suppressed);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Path {PathId}: in-memory transport of node {NodeId} started.")]
    public static partial void InMemoryStarted(ILogger logger, ushort pathId, uint nodeId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Path {PathId}: rejected a frame from node {FromNode}: {Reason} ({Suppressed} more rejections not logged).")]
    public static partial void InMemoryInputRejected(ILogger logger, ushort pathId, uint fromNode, FrameRejectReason reason, long suppressed);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Path {PathId}: no route to node {Target}; the frame is not sent ({Suppressed} more not logged).")]
    public static partial void NoRoute(ILogger logger, ushort pathId, uint target, long suppressed);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Path {PathId}: a peer is unreachable ({Error}); the UDP receive loop goes on ({Suppressed} more not logged).")]
    public static partial void UdpPeerUnreachable(ILogger logger, ushort pathId, SocketError error, long suppressed);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Path {PathId}: UDP receive failed ({Error}); the receive loop goes on ({Suppressed} more not logged).")]
    public static partial void UdpReceiveFailed(ILogger logger, ushort pathId, SocketError error, long suppressed);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Path {PathId}: UDP send to node {Target} failed ({Error}) ({Suppressed} more not logged).")]
    public static partial void UdpSendFailed(ILogger logger, ushort pathId, uint target, SocketError error, long suppressed);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Debug, Message = "Path {PathId}: connected to node {Target} at {EndPoint}.")]
    public static partial void TcpConnected(ILogger logger, ushort pathId, uint target, EndPoint endPoint);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Path {PathId}: connecting to node {Target} at {EndPoint} failed ({Error}); next attempt in {Delay} or later ({Suppressed} more not logged).")]
    public static partial void TcpConnectFailed(ILogger logger, ushort pathId, uint target, EndPoint endPoint, string error, TimeSpan delay, long suppressed);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, Message = "Path {PathId}: not connecting to node {Target} yet: backing off after a failed attempt ({Suppressed} more not logged).")]
    public static partial void TcpConnectDeferred(ILogger logger, ushort pathId, uint target, long suppressed);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Warning, Message = "Path {PathId}: writing to node {Target} failed ({Error}); the connection is dropped ({Suppressed} more not logged).")]
    public static partial void TcpWriteFailed(ILogger logger, ushort pathId, uint target, string error, long suppressed);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Debug, Message = "Path {PathId}: accepted a connection from {Remote}.")]
    public static partial void TcpAccepted(ILogger logger, ushort pathId, string remote);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Warning, Message = "Path {PathId}: refused a connection: {Limit} inbound connections are open ({Suppressed} more not logged).")]
    public static partial void TcpInboundLimitReached(ILogger logger, ushort pathId, int limit, long suppressed);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Warning, Message = "Path {PathId}: closing the connection from {Remote}: framing lost ({Reason}) ({Suppressed} more not logged).")]
    public static partial void TcpFramingLost(ILogger logger, ushort pathId, string remote, FrameRejectReason reason, long suppressed);

    [LoggerMessage(EventId = 1027, Level = LogLevel.Debug, Message = "Path {PathId}: the connection from {Remote} ended in the middle of a frame ({Bytes} bytes left).")]
    public static partial void TcpTruncated(ILogger logger, ushort pathId, string remote, long bytes);

    [LoggerMessage(EventId = 1028, Level = LogLevel.Debug, Message = "Path {PathId}: the connection from {Remote} failed ({Error}) ({Suppressed} more not logged).")]
    public static partial void TcpReadFailed(ILogger logger, ushort pathId, string remote, string error, long suppressed);

    [LoggerMessage(EventId = 1029, Level = LogLevel.Warning, Message = "Path {PathId}: accepting a connection failed ({Error}); the accept loop goes on ({Suppressed} more not logged).")]
    public static partial void TcpAcceptFailed(ILogger logger, ushort pathId, SocketError error, long suppressed);
}
