using BenchmarkDotNet.Attributes;
using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// The per-heartbeat cost of each failure detector, on a trained detector with a jittered
/// train of 100 ms heartbeats (in 1 GHz ticks, as on Linux): the update alone (what the
/// agent does per frame), and the update followed by the suspicion and deadline queries
/// (what it does at most once per watch wake-up).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DetectorBenchmarks
{
    private const long Interval = 100_000_000;

    private IFailureDetector _detector = null!;
    private long _now;
    private int _beat;

    [Params(FailoverDetectorKind.Fixed, FailoverDetectorKind.PhiAccrual)]
    public FailoverDetectorKind Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var settings = new FailureDetectorSettings(Kind, Interval, 3 * Interval, 8, Interval / 10, 0, RiseCount: 1);
        _detector = settings.Create(start: 0);

        // Fill the phi detector's history so every measured heartbeat replaces a sample.
        for (int i = 0; i < 2 * PhiAccrualDetector.DefaultCapacity; i++)
        {
            Next();
        }
    }

    [Benchmark]
    public long Heartbeat()
    {
        Beat();
        return _now;
    }

    [Benchmark]
    public bool HeartbeatAndQuery() => Next();

    private bool Next()
    {
        Beat();
        return _detector.IsSuspected(_now + (Interval / 2)) || _detector.Deadline < _now;
    }

    private void Beat()
    {
        // ±3 ms of deterministic jitter, so the running deviation keeps moving.
        _now += Interval + ((_beat++ % 7) - 3) * 1_000_000;
        _detector.Heartbeat(_now);
    }
}
