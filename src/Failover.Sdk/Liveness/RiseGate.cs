namespace Failover.Sdk.Liveness;

/// <summary>
/// The rise half of rise/fall hysteresis (EX-2): after a silence long enough to suspect, a
/// path is trusted again only after <c>rise</c> consecutive heartbeats, the one that ended the
/// silence included, so rise 1 trusts at once (the behaviour without hysteresis) and a peer
/// that alternates late and on-time heartbeats stays suspected once rise exceeds 2.
/// </summary>
internal struct RiseGate
{
    private readonly int _rise;
    private int _heard;

    public RiseGate(int rise)
    {
        _rise = Math.Max(1, rise);

        // Watching starts trusted: silence from the start is what counts first.
        _heard = _rise;
    }

    /// <summary>Suspected regardless of time: heard from again, but not yet often enough.</summary>
    public readonly bool IsRising => _heard < _rise;

    /// <param name="late">Whether the heartbeat came after the silence condition already held.</param>
    public void OnHeartbeat(bool late) => _heard = late ? 1 : Math.Min(_heard + 1, _rise);
}
