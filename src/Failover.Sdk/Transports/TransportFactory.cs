using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Configuration;
using Failover.Sdk.Telemetry;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Transports;

/// <summary>Builds an agent's transports, one per configured path, from validated options.</summary>
internal static class TransportFactory
{
    public static TransportSet Create(
        FailoverOptions options,
        InMemoryNetwork network,
        TimeProvider time,
        ILoggerFactory loggers,
        FailoverMetrics metrics)
    {
        FrameAuthenticator? authenticator = null;
        if (options.AuthenticationKey is not null && FailoverOptionsValidator.TryDecodeKey(options.AuthenticationKey, out byte[]? key))
        {
            authenticator = new FrameAuthenticator(key);
        }

        var writer = new FrameWriter(authenticator);
        IList<FailoverPathOptions> paths = options.Paths.Count > 0 ? options.Paths : [new FailoverPathOptions { Id = 1 }];
        ILogger logger = loggers.CreateLogger("Failover.Sdk.Transports");
        var routes = new List<(IFrameTransport, uint[])>(paths.Count);
        try
        {
            for (int i = 0; i < paths.Count; i++)
            {
                FailoverPathOptions path = paths[i];
                var settings = new TransportSettings
                {
                    LocalNodeId = options.NodeId,
                    PathId = path.Id,
                    Writer = writer,
                    ReaderOptions = new FrameReaderOptions
                    {
                        MaxFrameLength = options.MaxFrameLength,
                        Authenticator = authenticator,
                        RequireAuthentication = options.RequireAuthentication,
                    },
                    Time = time,
                    Logger = logger,
                    Metrics = metrics,
                };
                FailoverPeerOptions[] peers = [.. options.Peers.Where(p => p.PathId == path.Id)];
                IFrameTransport transport = Create(options.Transport, settings, network, path, i, peers);
                routes.Add((transport, [.. peers.Select(p => p.NodeId)]));
            }
        }
        catch
        {
            foreach ((IFrameTransport transport, _) in routes)
            {
                transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        return new TransportSet(routes);
    }

    private static IFrameTransport Create(
        FailoverTransportKind kind,
        TransportSettings settings,
        InMemoryNetwork network,
        FailoverPathOptions path,
        int index,
        FailoverPeerOptions[] peers)
    {
        if (kind == FailoverTransportKind.InMemory)
        {
            return new InMemoryTransport(network, settings);
        }

        IPEndPoint local = IPEndPoint.Parse(path.LocalEndPoint!);
        try
        {
            if (kind == FailoverTransportKind.Udp)
            {
                var udp = new UdpTransport(settings, local);
                return WithPeers(udp, peers, udp.SetPeer);
            }

            var tcp = new TcpTransport(settings, local);
            return WithPeers(tcp, peers, tcp.SetPeer);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException(
                $"{FailoverOptions.SectionName}:Paths:{index}:LocalEndPoint '{path.LocalEndPoint}' could not be bound ({ex.SocketErrorCode}): {ex.Message}", ex);
        }
    }

    /// <summary>Adds the peers, disposing the transport (and its bound socket) if any is refused.</summary>
    private static IFrameTransport WithPeers(IFrameTransport transport, FailoverPeerOptions[] peers, Action<uint, IPEndPoint> setPeer)
    {
        try
        {
            foreach (FailoverPeerOptions peer in peers)
            {
                setPeer(peer.NodeId, IPEndPoint.Parse(peer.EndPoint!));
            }

            return transport;
        }
        catch
        {
            transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }
}
