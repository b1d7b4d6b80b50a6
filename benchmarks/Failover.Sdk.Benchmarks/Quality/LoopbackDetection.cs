using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// The <c>loopback</c> mode: detection time with real agents over real UDP sockets on
/// 127.0.0.1, on the real clock. An observer (node 1) runs throughout; the victim (node 2)
/// is started in a host of its own, trusted, left to run a random while, then its host is
/// stopped and disposed, and the observer's Down report is timed.
/// </summary>
internal static class LoopbackDetection
{
    private static readonly TimeSpan ReportDeadline = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(QualityOptions options)
    {
        long wallStart = Stopwatch.GetTimestamp();
        var report = new Report(options.Output);
        string loadBefore = MachineInfo.LoadAverage();
        var random = new Random(unchecked((int)options.Seed));
        LoopbackResult fast = await MeasureAsync(TimeSpan.FromMilliseconds(10), 3, options.FastTrials, random).ConfigureAwait(false);
        LoopbackResult standard = await MeasureAsync(TimeSpan.FromMilliseconds(100), 3, options.DefaultTrials, random).ConfigureAwait(false);

        report.Line("### Detection targets over loopback UDP (fixed k = 3, two agents in one process)");
        report.Line();
        var table = new MarkdownTable("profile", "trials", "measured from", "mean (ms)", "p50 (ms)", "p99 (ms)", "max (ms)", "target p99", "verdict");
        foreach (LoopbackResult r in (LoopbackResult[])[fast, standard])
        {
            double ms = r.Interval.TotalMilliseconds;
            double target = ms == 10 ? 32 : 310;
            Row(table, r, "last heartbeat received", r.Silences, target);
            Row(table, r, "stop of the victim's host", r.StopToDown, target);
        }

        report.Table(table);
        foreach (LoopbackResult r in (LoopbackResult[])[fast, standard])
        {
            report.Line(Invariant($"{r.Interval.TotalMilliseconds:F0} ms: {r.Mistakes} false suspicion(s) (Down while the victim ran) in {r.Watched.TotalSeconds:F0} s of trusted watching; {r.AlreadySuspected} trial(s) left out because one was in progress when the victim stopped."));
        }

        report.Line();
        report.Line(Invariant($"Machine: {MachineInfo.Describe()}. Load average before: {loadBefore}; after: {MachineInfo.LoadAverage()}."));
        report.Line(Invariant($"Wall time: {Stopwatch.GetElapsedTime(wallStart).TotalSeconds:F0} s ({fast.WallTime.TotalSeconds:F0} s fast, {standard.WallTime.TotalSeconds:F0} s default)."));
        report.Save();
    }

    private static void Row(MarkdownTable table, LoopbackResult r, string from, IReadOnlyList<TimeSpan> sample, double target)
    {
        Summary s = Summary.Of(sample);
        table.Row(
            Invariant($"{r.Interval.TotalMilliseconds:F0} ms × {r.Missed}"),
            Invariant($"{s.Count}"),
            from,
            Invariant($"{s.Mean:F2}"),
            Invariant($"{s.Median:F2}"),
            Invariant($"{s.P99:F2}"),
            Invariant($"{s.Max:F2}"),
            Invariant($"≤ {target:F0} ms"),
            s.P99 <= target ? "met" : "**missed**");
    }

    private static async Task<LoopbackResult> MeasureAsync(TimeSpan interval, int missed, int trials, Random random)
    {
        long wallStart = Stopwatch.GetTimestamp();
        (int observerPort, int victimPort) = TwoFreePorts();
        var watch = new Watch();
        using IHost observer = await StartAsync(1, observerPort, 2, victimPort, 1, interval, missed).ConfigureAwait(false);
        observer.Services.GetRequiredService<FailoverAgent>().PeerStatusChanged += watch.OnChange;
        var silences = new List<TimeSpan>(trials);
        var stopToDown = new List<TimeSpan>(trials);
        int alreadySuspected = 0;

        // Trial 0 is not kept: it pays the JIT for the down and up paths of both agents.
        for (int trial = 0; trial <= trials; trial++)
        {
            Task up = watch.ExpectUp();
            IHost victim = await StartAsync(2, victimPort, 1, observerPort, (uint)(trial + 1), interval, missed).ConfigureAwait(false);
            await up.WaitAsync(ReportDeadline).ConfigureAwait(false);

            // A random while, so that the stop lands at every phase of the heartbeat schedule.
            await Task.Delay((interval * 5) + TimeSpan.FromTicks(random.NextInt64(interval.Ticks))).ConfigureAwait(false);

            Task<(long At, TimeSpan Silence)>? down = watch.ExpectDown();
            long stoppedAt = Stopwatch.GetTimestamp();
            await victim.StopAsync().ConfigureAwait(false);
            victim.Dispose();
            if (down is null)
            {
                // A false suspicion was in progress when the victim stopped: nothing to time.
                alreadySuspected += trial > 0 ? 1 : 0;
                Report.Progress(Invariant($"loopback {interval.TotalMilliseconds:F0} ms trial {trial}: suspected already when stopped"));
                continue;
            }

            (long downAt, TimeSpan silence) = await down.WaitAsync(ReportDeadline).ConfigureAwait(false);
            if (trial > 0)
            {
                silences.Add(silence);
                stopToDown.Add(Stopwatch.GetElapsedTime(stoppedAt, downAt));
            }

            Report.Progress(Invariant($"loopback {interval.TotalMilliseconds:F0} ms trial {trial}: silence {silence.TotalMilliseconds:F2} ms, from stop {Stopwatch.GetElapsedTime(stoppedAt, downAt).TotalMilliseconds:F2} ms"));
        }

        await observer.StopAsync().ConfigureAwait(false);
        return new LoopbackResult(interval, missed, silences, stopToDown, alreadySuspected, watch.Mistakes, watch.Watched, Stopwatch.GetElapsedTime(wallStart));
    }

    private static async Task<IHost> StartAsync(uint node, int port, uint peer, int peerPort, uint incarnation, TimeSpan interval, int missed)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFailover(o =>
        {
            o.NodeId = node;
            o.Incarnation = incarnation;
            o.Transport = FailoverTransportKind.Udp;
            o.HeartbeatInterval = interval;
            o.MissedHeartbeats = missed;
            o.Paths.Add(new FailoverPathOptions { Id = 1, LocalEndPoint = Invariant($"127.0.0.1:{port}") });
            o.Peers.Add(new FailoverPeerOptions { NodeId = peer, PathId = 1, EndPoint = Invariant($"127.0.0.1:{peerPort}") });
        });
        IHost host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return host;
    }

    private static (int First, int Second) TwoFreePorts()
    {
        using Socket first = BoundUdp();
        using Socket second = BoundUdp();
        return (((IPEndPoint)first.LocalEndPoint!).Port, ((IPEndPoint)second.LocalEndPoint!).Port);
    }

    private static Socket BoundUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The observer's reports about the victim, handed to whichever trial step waits for them;
    /// a Down nobody waits for is a false suspicion. Also keeps how long the victim was
    /// watched while trusted, the exposure those mistakes are counted over.
    /// </summary>
    private sealed class Watch
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource? _up;
        private TaskCompletionSource<(long, TimeSpan)>? _down;
        private bool _isUp;
        private long _upSince;
        private long _watchedTicks;
        private int _mistakes;

        public int Mistakes
        {
            get
            {
                lock (_gate)
                {
                    return _mistakes;
                }
            }
        }

        /// <summary>The time the observer trusted the victim, summed over the run, until its stops.</summary>
        public TimeSpan Watched
        {
            get
            {
                lock (_gate)
                {
                    return TimeSpan.FromSeconds((double)_watchedTicks / Stopwatch.Frequency);
                }
            }
        }

        public Task ExpectUp()
        {
            lock (_gate)
            {
                _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _up.Task;
            }
        }

        /// <summary>The coming Down report; null when the victim is suspected already (there will be none).</summary>
        public Task<(long At, TimeSpan Silence)>? ExpectDown()
        {
            lock (_gate)
            {
                if (!_isUp)
                {
                    return null;
                }

                _watchedTicks += Stopwatch.GetTimestamp() - _upSince;
                _isUp = false;
                _down = new TaskCompletionSource<(long, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _down.Task;
            }
        }

        public void OnChange(object? sender, PeerStatusChangedEventArgs change)
        {
            // Stamped first: the handler's own work is not part of the detection time.
            long at = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (change.Current == PeerState.Down)
                {
                    if (_down is null && _isUp)
                    {
                        _mistakes++;
                        _watchedTicks += at - _upSince;
                        _isUp = false;
                    }

                    _down?.TrySetResult((at, change.Silence));
                    _down = null;
                }
                else if (change.Current == PeerState.Up)
                {
                    if (!_isUp && _down is null)
                    {
                        _isUp = true;
                        _upSince = at;
                    }

                    _up?.TrySetResult();
                    _up = null;
                }
            }
        }
    }
}
