using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// A real single-member etcd started from the <c>etcd</c> binary on two loopback ports
/// (client and peer) with a temporary data folder. It can be killed and started again on the
/// same ports and data (etcd keeps its keys and leases), or frozen with SIGSTOP.
/// Disposing kills it, by its process id only, and deletes the data folder.
/// </summary>
internal sealed class EtcdServer : IAsyncDisposable
{
    private const string MemberName = "failover-test";
    private const int StartAttempts = 5;
    private const int LinesKept = 40;
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);
    private static readonly HttpClient Health = new() { Timeout = TimeSpan.FromSeconds(1) };

    private readonly string _binary;
    private readonly string _root;
    private readonly int _clientPort;
    private readonly int _peerPort;
    private readonly Queue<string> _said = new();
    private readonly TestCertificates? _tls;
    private readonly HttpClient _health;
    private Process? _process;

    private EtcdServer(string binary, string root, int clientPort, int peerPort, TestCertificates? tls)
    {
        _binary = binary;
        _root = root;
        _clientPort = clientPort;
        _peerPort = peerPort;
        _tls = tls;
        _health = tls is null ? Health : TlsHealthClient(tls);
    }

    /// <summary>The endpoint dotnet-etcd connects to, e.g. <c>http://127.0.0.1:41234</c> (<c>https://</c> with TLS).</summary>
    public string ClientUrl => $"{(_tls is null ? "http" : "https")}://127.0.0.1:{_clientPort}";

    /// <summary>The running etcd's process id (for signals).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("etcd is not running.");

    private string DataDirectory => Path.Combine(_root, "data");

    private string PeerUrl => $"http://127.0.0.1:{_peerPort}";

    /// <summary>The full path of the <c>etcd</c> binary on PATH, or null when there is none.</summary>
    public static string? FindBinary()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "etcd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Starts etcd on two loopback ports that were free a moment ago. Another process can take
    /// a port between our probe and etcd's bind, so a start that fails on a taken port is
    /// retried on new ports, a bounded number of times.
    /// </summary>
    /// <param name="tls">When given, clients must speak TLS and present a certificate signed by its authority.</param>
    public static async Task<EtcdServer> StartAsync(TestCertificates? tls = null)
    {
        string binary = FindBinary() ?? throw new InvalidOperationException("No etcd binary on PATH.");
        string root = Directory.CreateTempSubdirectory("failover-etcd-").FullName;
        var failures = new List<string>();
        for (int attempt = 1; attempt <= StartAttempts; attempt++)
        {
            (int clientPort, int peerPort) = TwoFreeTcpPorts();
            var server = new EtcdServer(binary, root, clientPort, peerPort, tls);
            try
            {
                // A failed attempt may have bootstrapped a member for the old ports.
                server.DeleteData();
                await server.LaunchAsync();
                return server;
            }
            catch (EtcdStartException e) when (e.PortTaken)
            {
                failures.Add(e.Message);
                await server.KillAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        Directory.Delete(root, recursive: true);
        throw new InvalidOperationException(
            $"etcd could not bind free loopback ports in {StartAttempts} attempts: {string.Join(" | ", failures)}");
    }

    /// <summary>Kills etcd (SIGKILL, as a crash would) and waits for it to exit.</summary>
    public Task StopAsync() => KillAsync();

    /// <summary>Kills etcd if it runs, then starts it again on the same ports and data folder.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        await LaunchAsync();
    }

    /// <summary>Freezes etcd with SIGSTOP: connections stay open, nothing answers.</summary>
    public void Pause() => Signals.Stop(ProcessId);

    /// <summary>Lets a paused etcd run again (SIGCONT).</summary>
    public void Resume() => Signals.Continue(ProcessId);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_health != Health)
        {
            _health.Dispose();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static (int Client, int Peer) TwoFreeTcpPorts()
    {
        // Both listeners are held until both ports are read, so the two differ.
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

    private async Task LaunchAsync()
    {
        lock (_said)
        {
            _said.Clear();
        }

        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"{_binary} did not start.");
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilHealthyAsync(process);
    }

    private IEnumerable<string> Arguments()
    {
        yield return $"--name={MemberName}";
        yield return $"--data-dir={DataDirectory}";
        yield return $"--listen-client-urls={ClientUrl}";
        yield return $"--advertise-client-urls={ClientUrl}";
        yield return $"--listen-peer-urls={PeerUrl}";
        yield return $"--initial-advertise-peer-urls={PeerUrl}";
        yield return $"--initial-cluster={MemberName}={PeerUrl}";
        yield return "--initial-cluster-state=new";
        // etcd 3.4 defaults to the deprecated capnslog logger; zap honours --log-level.
        if (_tls is not null)
        {
            yield return $"--cert-file={_tls.ServerCertificatePath}";
            yield return $"--key-file={_tls.ServerKeyPath}";
            yield return $"--trusted-ca-file={_tls.CaPath}";
            yield return "--client-cert-auth";
        }

        yield return "--logger=zap";
        yield return "--log-outputs=stderr";
        yield return "--log-level=warn";
    }

    /// <summary>Polls GET /health until etcd has a leader and answers, up to a deadline.</summary>
    private async Task WaitUntilHealthyAsync(Process process)
    {
        long started = TimeProvider.System.GetTimestamp();
        int maxPolls = (int)(ReadyDeadline / ReadyPollInterval) + 1;
        for (int poll = 0; poll < maxPolls && TimeProvider.System.GetElapsedTime(started) < ReadyDeadline; poll++)
        {
            if (process.HasExited)
            {
                // Let the asynchronous readers drain what etcd said before it died.
                await process.WaitForExitAsync();
                string said = Said();
                throw new EtcdStartException(
                    $"etcd exited with code {process.ExitCode} before it was ready: {said}",
                    portTaken: said.Contains("address already in use", StringComparison.Ordinal));
            }

            if (await AnswersHealthyAsync())
            {
                return;
            }

            await Task.Delay(ReadyPollInterval, TimeProvider.System);
        }

        throw new EtcdStartException($"etcd did not report healthy on {ClientUrl} within {ReadyDeadline}: {Said()}", portTaken: false);
    }

    private async Task<bool> AnswersHealthyAsync()
    {
        try
        {
            string body = await _health.GetStringAsync(new Uri($"{ClientUrl}/health"));
            return body.Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>A health poller that trusts the test authority and presents the client certificate.</summary>
    private static HttpClient TlsHealthClient(TestCertificates tls)
    {
        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        authorities.ImportFromPemFile(tls.CaPath);
        var policy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
        {
            TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
            RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(authorities);
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                CertificateChainPolicy = policy,
                ClientCertificates = [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(tls.ClientCertificatePath, tls.ClientKeyPath)],
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(1) };
    }

    private async Task KillAsync()
    {
        Process? process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                // SIGKILL to this pid only; it also ends a SIGSTOPped process.
                process.Kill(entireProcessTree: false);
            }

            using var deadline = new CancellationTokenSource(ExitDeadline);
            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            process.Dispose();
        }
    }

    private void DeleteData()
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_said)
        {
            _said.Enqueue(line);
            while (_said.Count > LinesKept)
            {
                _said.Dequeue();
            }
        }
    }

    private string Said()
    {
        lock (_said)
        {
            return _said.Count == 0 ? "(nothing on stderr)" : string.Join(Environment.NewLine, _said);
        }
    }
}

/// <summary>etcd did not come up; <see cref="PortTaken"/> says whether new ports may help.</summary>
internal sealed class EtcdStartException(string message, bool portTaken) : Exception(message)
{
    public bool PortTaken { get; } = portTaken;
}
