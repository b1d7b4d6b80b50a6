namespace Failover.Sdk.Runners;

/// <summary>
/// Sequence numbers for the local workload channel: the wall clock in microseconds, and always
/// at least one more than the last. A restarted sender (a new process, a new channel) so starts
/// above everything it sent before, and the receiver's replay window accepts it at once.
/// </summary>
/// <remarks>Thread-safe: a workload's own heartbeats and its client's thread draw from one sequence.</remarks>
internal sealed class MicrosecondSequence(TimeProvider time)
{
    private long _last;

    /// <summary>The clock in microseconds since the Unix epoch.</summary>
    public long Now => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>The next sequence number; <paramref name="timestamp"/> is the clock it was drawn at.</summary>
    public ulong Next(out long timestamp)
    {
        timestamp = Now;
        while (true)
        {
            long last = Volatile.Read(ref _last);
            long next = Math.Max(last + 1, timestamp);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return (ulong)next;
            }
        }
    }
}
