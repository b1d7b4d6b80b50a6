using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;

namespace Failover.Sdk.Tests.Support;

/// <summary>
/// A real OS process running the Failover.Sdk.AgentHost sample, with its standard output
/// read line by line. Disposing kills it (only this process, by its id).
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private AgentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string HostPath => typeof(AgentProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AgentHostPath").Value!;

    public int Id => _process.Id;

    public static AgentProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the agent's stderr log quiet but for warnings; stdout carries the events.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return new AgentProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Reads output until a line starts with <paramref name="prefix"/>, up to a deadline.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            while (true)
            {
                string line = await _lines.Reader.ReadAsync(timeout.Token);
                _seen.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No line starting '{prefix}' within {deadline}; seen: {string.Join(" | ", _seen)}");
            throw;
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>Two different loopback ports that were free a moment ago (both held until both are read).</summary>
    public static (int First, int Second) TwoFreeUdpPorts()
    {
        using System.Net.Sockets.Socket first = BoundUdp();
        using System.Net.Sockets.Socket second = BoundUdp();
        return (((System.Net.IPEndPoint)first.LocalEndPoint!).Port, ((System.Net.IPEndPoint)second.LocalEndPoint!).Port);
    }

    private static System.Net.Sockets.Socket BoundUdp()
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return socket;
    }
}

/// <summary>Tests that start real processes and judge real-clock timing run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcesses
{
    public const string Name = "real processes";
}
