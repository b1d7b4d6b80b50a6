namespace Failover.Sdk.Liveness;

/// <summary>
/// The φ accrual failure detector (Hayashibara et al., 2004; as in Akka and Cassandra): from
/// the last inter-arrival intervals it estimates how unlikely the current silence is,
/// φ = −log10(1 − CDF(silence)), and suspects once φ reaches a threshold. The normal CDF is
/// Akka's logistic approximation, so thresholds tuned for Akka carry over.
/// </summary>
/// <remarks>
/// φ grows monotonically with silence for a given history, so the silence at which it reaches
/// the threshold is found by inverting the formula, and a query is a comparison:
/// <see cref="Deadline"/> and <see cref="IsSuspected"/> agree by construction. A heartbeat
/// only updates the running sums and the closed-form estimate; settling that estimate to
/// the exact tick (two evaluations of φ, an exponential and a logarithm each) waits until
/// a query needs it, which the agent makes once per watch wake-up rather than per heartbeat.
/// Like Akka, an interval that ended a suspected silence is not recorded, so a long pause
/// does not teach the detector to tolerate the next one.
/// </remarks>
internal sealed class PhiAccrualDetector : IFailureDetector
{
    internal const int DefaultCapacity = 1000;

    // Akka's logistic approximation of the normal CDF: 1 / (1 + e^(−y(A + B y²))).
    private const double A = 1.5976;
    private const double B = 0.070566;

    private readonly IntervalHistory _history;
    private readonly double _threshold;
    private readonly double _minStdDeviation;
    private readonly double _acceptablePause;
    private readonly double _thresholdY;
    private RiseGate _rise;
    private long _lastHeard;
    private bool _heard;
    private double _mean;
    private double _stdDeviation;
    private long _estimate;
    private long _tolerated;
    private bool _settled;

    /// <param name="expectedInterval">The heartbeat interval in ticks; seeds the history, as Akka's first-heartbeat estimate.</param>
    /// <param name="threshold">Suspect once φ reaches this; 8 is about a one-in-10⁸ false suspicion under the model.</param>
    /// <param name="minStdDeviation">A floor on the standard deviation, in ticks: very regular arrivals would otherwise make any small delay fatal.</param>
    /// <param name="acceptablePause">Ticks added to the mean: pauses (GC, a busy host) to tolerate outright.</param>
    /// <param name="start">The timestamp silence is counted from until the first heartbeat.</param>
    /// <param name="rise">Consecutive heartbeats that make a suspected path trusted again; 1 trusts at once.</param>
    /// <param name="capacity">Intervals remembered.</param>
    public PhiAccrualDetector(long expectedInterval, double threshold, long minStdDeviation, long acceptablePause, long start, int rise = 1, int capacity = DefaultCapacity)
    {
        _history = new IntervalHistory(capacity);
        _threshold = threshold;
        _minStdDeviation = Math.Max(1, minStdDeviation);
        _acceptablePause = Math.Max(0, acceptablePause);
        _thresholdY = InverseThreshold(threshold);
        _rise = new RiseGate(rise);
        _lastHeard = start;

        // Two samples a quarter interval either side: mean = interval, deviation = interval / 4.
        long interval = Math.Clamp(expectedInterval, 1, IntervalHistory.MaxInterval);
        _history.Add(interval - (interval / 4));
        _history.Add(interval + (interval / 4));
        Refresh();
    }

    public long LastHeard => _lastHeard;

    /// <summary>The longest silence, in ticks, at which φ is still under the threshold.</summary>
    public long ToleratedSilence => Settled();

    public long Deadline => _rise.IsRising ? long.MinValue : SilenceDeadline;

    private long SilenceDeadline
    {
        get
        {
            long tolerated = Settled();
            return _lastHeard > long.MaxValue - tolerated ? long.MaxValue : _lastHeard + tolerated;
        }
    }

    public void Heartbeat(long now)
    {
        if (now < _lastHeard || (now == _lastHeard && _heard))
        {
            return;
        }

        bool late = IsLate(now);
        if (_heard && !late)
        {
            _history.Add(now - _lastHeard);
            Refresh();
        }

        _heard = true;
        _rise.OnHeartbeat(late);
        _lastHeard = now;
    }

    public bool IsSuspected(long now) => _rise.IsRising || IsSilent(now);

    /// <summary>φ at <paramref name="now"/> for the current history.</summary>
    public double Phi(long now) => PhiAfter(now < _lastHeard ? 0 : (double)now - _lastHeard);

    private bool IsSilent(long now) => now > SilenceDeadline;

    /// <summary>
    /// <see cref="IsSilent"/> without settling when the silence is clearly on one side of the
    /// estimate: settling moves it by a few ticks at most, so only a silence within that
    /// margin of the estimate needs the exact answer.
    /// </summary>
    private bool IsLate(long now)
    {
        const long Margin = 8;
        long silence = now - _lastHeard;
        if (_settled || Math.Abs(silence - _estimate) <= Margin)
        {
            return IsSilent(now);
        }

        return silence > _estimate;
    }

    private double PhiAfter(double elapsed)
    {
        double y = (elapsed - _mean) / _stdDeviation;
        double e = Math.Exp(-y * (A + (B * y * y)));

        // The same value written two ways, each precise where the other loses digits.
        return elapsed > _mean ? -Math.Log10(e / (1.0 + e)) : -Math.Log10(1.0 - (1.0 / (1.0 + e)));
    }

    /// <summary>Takes the new history's mean and deviation, and the closed-form tolerated silence; settling waits for a query.</summary>
    private void Refresh()
    {
        _mean = _history.Mean + _acceptablePause;
        _stdDeviation = Math.Max(_history.StandardDeviation, _minStdDeviation);
        double estimate = _mean + (_thresholdY * _stdDeviation);
        _estimate = double.IsNaN(estimate) ? 0 : (long)Math.Clamp(Math.Floor(estimate), 0, long.MaxValue / 4);
        _settled = false;
    }

    /// <summary>The tolerated silence, settled to the exact tick where φ crosses the threshold.</summary>
    private long Settled()
    {
        if (_settled)
        {
            return _tolerated;
        }

        // The inverse lands within rounding of the crossing; a few exact steps settle the tick.
        long tolerated = _estimate;
        for (int i = 0; i < 4 && tolerated > 0 && PhiAfter(tolerated) >= _threshold; i++)
        {
            tolerated--;
        }

        for (int i = 0; i < 4 && tolerated < long.MaxValue / 4 && PhiAfter(tolerated + 1) < _threshold; i++)
        {
            tolerated++;
        }

        _tolerated = tolerated;
        _settled = true;
        return tolerated;
    }

    /// <summary>
    /// The y (silence in standard deviations above the mean) at which φ equals
    /// <paramref name="threshold"/>: φ = −log10(p) with p = e/(1+e) and e = exp(−y(A + B y²)),
    /// so B y³ + A y + ln(p / (1 − p)) = 0, a depressed cubic with one real root (Cardano).
    /// </summary>
    internal static double InverseThreshold(double threshold)
    {
        double p = Math.Pow(10, -threshold);
        double lnE = Math.Log(p) - Math.Log(1 - p);
        double P = A / B;
        double Q = lnE / B;
        double root = Math.Sqrt((Q * Q / 4) + (P * P * P / 27));
        return Math.Cbrt((-Q / 2) + root) + Math.Cbrt((-Q / 2) - root);
    }
}
