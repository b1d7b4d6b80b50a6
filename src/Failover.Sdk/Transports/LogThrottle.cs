namespace Failover.Sdk.Transports;

/// <summary>
/// Lets at most one message through per interval and counts the ones it holds back, so
/// a flood of hostile datagrams or a dead peer costs a log line every few seconds, not
/// one per packet. Lock-free and allocation-free; time comes from a <see cref="TimeProvider"/>.
/// </summary>
internal sealed class LogThrottle
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private long _lastLogged;
    private long _suppressed;

    public LogThrottle(TimeProvider time, TimeSpan? interval = null)
    {
        _time = time;
        _intervalTicks = (long)((interval ?? DefaultInterval).TotalSeconds * time.TimestampFrequency);

        // As if the last message was one interval ago, so the first one always goes through.
        _lastLogged = time.GetTimestamp() - _intervalTicks;
    }

    /// <summary>
    /// Whether to log now. When true, <paramref name="suppressed"/> is how many were held
    /// back since the previous message; when false, this one is counted as held back.
    /// </summary>
    public bool TryEnter(out long suppressed)
    {
        long now = _time.GetTimestamp();
        long last = Volatile.Read(ref _lastLogged);
        if (now - last >= _intervalTicks && Interlocked.CompareExchange(ref _lastLogged, now, last) == last)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
