namespace Failover.Sdk.Transports;

/// <summary>
/// When a failed outbound connection may be tried again: not before a delay that
/// doubles with each consecutive failure, from <see cref="Initial"/> up to
/// <see cref="Maximum"/>, and resets on success. A pure state machine fed timestamps, so
/// a dead peer costs one connect attempt per period however fast frames are sent.
/// </summary>
/// <remarks>Not thread-safe: its owner holds it under the peer's send gate.</remarks>
internal sealed class ReconnectBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private bool _waiting;
    private long _failedAt;

    public ReconnectBackoff(TimeProvider time) => _time = time;

    /// <summary>How long after the last failure the next attempt may start; zero when none failed.</summary>
    public TimeSpan Delay { get; private set; }

    /// <summary>Whether an attempt may start at <paramref name="now"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public bool CanAttempt(long now) => !_waiting || _time.GetElapsedTime(_failedAt, now) >= Delay;

    public void OnFailure(long now)
    {
        Delay = _waiting ? TimeSpan.FromTicks(Math.Min(Delay.Ticks * 2, Maximum.Ticks)) : Initial;
        _waiting = true;
        _failedAt = now;
    }

    /// <summary>Forgets past failures: after a success, or when the peer moved to a new address.</summary>
    public void Reset()
    {
        _waiting = false;
        Delay = TimeSpan.Zero;
    }
}
