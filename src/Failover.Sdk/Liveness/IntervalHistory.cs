namespace Failover.Sdk.Liveness;

/// <summary>
/// The last N inter-arrival intervals, in timestamp ticks, with their running sum and sum of
/// squares: mean and standard deviation in O(1) and without allocating per heartbeat. The
/// sums are integers (the squares in <see cref="Int128"/>), so adding and removing samples
/// for hours never drifts the way floating-point running sums do.
/// </summary>
internal sealed class IntervalHistory
{
    /// <summary>Samples are capped here (about 78 hours at 1 GHz): 1000 squares of it still fit an <see cref="Int128"/>.</summary>
    internal const long MaxInterval = 1L << 48;

    private readonly long[] _ring;
    private int _next;
    private int _count;
    private long _sum;
    private Int128 _sumOfSquares;

    public IntervalHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _ring = new long[capacity];
    }

    public int Count => _count;

    public double Mean => _count == 0 ? 0 : (double)_sum / _count;

    public double StandardDeviation
    {
        get
        {
            if (_count == 0)
            {
                return 0;
            }

            // n² × variance = n × Σx² − (Σx)², exact in integers, never negative.
            Int128 scaled = (_count * _sumOfSquares) - ((Int128)_sum * _sum);
            return Math.Sqrt((double)scaled) / _count;
        }
    }

    public void Add(long interval)
    {
        interval = Math.Clamp(interval, 0, MaxInterval);
        if (_count == _ring.Length)
        {
            long oldest = _ring[_next];
            _sum -= oldest;
            _sumOfSquares -= (Int128)oldest * oldest;
        }
        else
        {
            _count++;
        }

        _ring[_next] = interval;
        _sum += interval;
        _sumOfSquares += (Int128)interval * interval;
        _next = _next + 1 == _ring.Length ? 0 : _next + 1;
    }
}
