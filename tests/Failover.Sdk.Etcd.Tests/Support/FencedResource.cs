using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Failover.Sdk.Coordination;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// A resource that checks fencing tokens, as a real one would: a TCP service on loopback that
/// takes lines <c>write {node} {token} {seq}</c>, passes each token through a
/// <see cref="FencingTokenGuard"/>, answers <c>ok</c> or <c>refused {newest}</c>, and records
/// every write in the order it decided them.
/// </summary>
internal sealed class FencedResource : IAsyncDisposable
{
    private const int MaxLineLength = 200;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly FencingTokenGuard _guard = new();
    private readonly List<Write> _writes = [];
    private readonly List<Task> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FencedResource()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public long Newest => _guard.Newest;

    /// <summary>Every write decided so far, in order.</summary>
    public IReadOnlyList<Write> Writes
    {
        get
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Sends one line as a client of its own and returns the answer.</summary>
    public async Task<string> SendAsync(string line, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(EndPoint, timeout.Token);
        using NetworkStream stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
        await writer.WriteLineAsync(line.AsMemory(), timeout.Token);
        return await reader.ReadLineAsync(timeout.Token) ?? "closed";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        // Bounded by the resource's life: Stop ends the accept.
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using NetworkStream stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
                // Bounded by the connection: it ends when the client closes or the resource stops.
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    await writer.WriteLineAsync(Decide(line).AsMemory(), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The client went away, or the resource stops.
            }
        }
    }

    private string Decide(string line)
    {
        string[] parts = line.Split(' ');
        if (line.Length > MaxLineLength || parts is not ["write", _, _, _]
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint node)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long token)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
        {
            return "error expected 'write <node> <token> <seq>'";
        }

        // Decided and recorded under one lock, so the record's order is the guard's.
        lock (_writes)
        {
            bool accepted = _guard.TryAccept(token);
            _writes.Add(new Write(_writes.Count, node, token, seq, accepted, line));
            return accepted ? "ok" : string.Create(CultureInfo.InvariantCulture, $"refused {_guard.Newest}");
        }
    }

    /// <summary>One write as the resource decided it; <see cref="Index"/> is its place in the order.</summary>
    internal sealed record Write(int Index, uint Node, long Token, long Seq, bool Accepted, string Line);
}
