using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// A local single-member etcd for the coordination benchmarks, started as the etcd tests'
/// fixture starts it: the <c>etcd</c> binary on PATH, two loopback ports, a temporary data
/// folder (on the same disk as /tmp, so writes pay a real fsync). Disposing kills it, by its
/// process id only, and deletes the folder.
/// </summary>
internal sealed class EtcdProcess : IDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;
    private readonly string _root;

    private EtcdProcess(Process process, string root, string clientUrl)
    {
        _process = process;
        _root = root;
        ClientUrl = clientUrl;
    }

    public string ClientUrl { get; }

    public static EtcdProcess Start()
    {
        string binary = FindBinary() ?? throw new InvalidOperationException("No etcd binary on PATH (Debian: apt-get install etcd-server).");
        string root = Directory.CreateTempSubdirectory("failover-bench-etcd-").FullName;
        (int clientPort, int peerPort) = TwoFreePorts();
        string client = $"http://127.0.0.1:{clientPort}";
        string peer = $"http://127.0.0.1:{peerPort}";
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[]
        {
            "--name=bench", $"--data-dir={Path.Combine(root, "data")}",
            $"--listen-client-urls={client}", $"--advertise-client-urls={client}",
            $"--listen-peer-urls={peer}", $"--initial-advertise-peer-urls={peer}",
            $"--initial-cluster=bench={peer}", "--initial-cluster-state=new",
            "--logger=zap", "--log-outputs=stderr", "--log-level=error",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var etcd = new EtcdProcess(process, root, client);
        try
        {
            etcd.WaitUntilHealthy();
            return etcd;
        }
        catch
        {
            etcd.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_root, recursive: true);
        }
    }

    private void WaitUntilHealthy()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        long started = Stopwatch.GetTimestamp();
        for (int poll = 0; poll < ReadyDeadline / PollInterval && Stopwatch.GetElapsedTime(started) < ReadyDeadline; poll++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                if (http.GetStringAsync(new Uri($"{ClientUrl}/health")).GetAwaiter().GetResult().Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Thread.Sleep(PollInterval);
        }

        throw new InvalidOperationException($"etcd did not report healthy on {ClientUrl} within {ReadyDeadline}.");
    }

    private static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "etcd"))
            .FirstOrDefault(File.Exists);

    private static (int Client, int Peer) TwoFreePorts()
    {
        var first = new TcpListener(IPAddress.Loopback, 0);
        var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        try
        {
            return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        }
        finally
        {
            first.Stop();
            second.Stop();
        }
    }
}
