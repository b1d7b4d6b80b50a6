using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation.Nodes;

/// <summary>
/// The clock a simulated node's components see: the simulation's virtual time as that
/// node's hardware would show it, with skew and drift (EX-3), and a switch that freezes
/// everything scheduled on it while the node or its process is stalled.
/// </summary>
/// <remarks>
/// <para>
/// Drift scales the node's monotonic clock and every timer on it: at +1,000 ppm a 100 ms
/// timer fires after 99.9 ms of true time. Skew moves only the wall clock
/// (<see cref="GetUtcNow"/>), as an NTP step would; monotonic timestamps never jump.
/// </para>
/// <para>
/// While frozen, timers that come due are held, one firing each (a periodic timer's missed
/// ticks coalesce, as with the system timers), and fire when the node resumes. The clock
/// itself keeps going: a stalled process wakes to find time has passed, which is the
/// point of simulating a pause. Single-threaded, like the simulation that drives it.
/// </para>
/// </remarks>
internal sealed class NodeClock : TimeProvider
{
    private readonly VirtualTimeProvider _time;
    // A list, each timer knowing its index, rather than a set: every agent Task.Delay adds
    // a timer and removes it when it fires, and an index does both without hashing.
    private readonly List<NodeTimer> _live = [];
    private readonly List<NodeTimer> _held = [];
    private long _anchorTrue;
    private long _anchorLocal;
    private long _wallOffset;
    private long _nextOrder;

    public NodeClock(VirtualTimeProvider time)
    {
        _time = time;
        _anchorTrue = _anchorLocal = time.GetTimestamp();
    }

    /// <summary>How much faster than true time this clock runs: 1 plus the drift.</summary>
    public double Rate { get; private set; } = 1;

    public bool IsFrozen { get; private set; }

    /// <summary>Bumped when the process dies: timers of an earlier life never fire.</summary>
    public int Generation { get; private set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long GetTimestamp() => Local(_time.GetTimestamp());

    public override DateTimeOffset GetUtcNow() => new(GetTimestamp() + _wallOffset, TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new NodeTimer(this, callback, state);
        timer.Change(dueTime, period); // which also makes it live
        return timer;
    }

    /// <summary>Steps the wall clock by <paramref name="offset"/> (negative goes back).</summary>
    public void Skew(TimeSpan offset) => _wallOffset += offset.Ticks;

    /// <summary>Runs at 1 + <paramref name="partsPerMillion"/>/10⁶ of true time from now on, rescaling every pending timer.</summary>
    public void SetDrift(double partsPerMillion)
    {
        long now = _time.GetTimestamp();
        _anchorLocal = Local(now);
        _anchorTrue = now;
        double previous = Rate;
        Rate = 1 + (partsPerMillion / 1_000_000);
        foreach (NodeTimer timer in _live.OrderBy(t => t.Order))
        {
            timer.Rescale(previous);
        }
    }

    public void Freeze() => IsFrozen = true;

    /// <summary>Thaws the clock and fires, in the order they came due, the timers held meanwhile.</summary>
    public void Thaw()
    {
        IsFrozen = false;
        NodeTimer[] held = [.. _held];
        _held.Clear();
        foreach (NodeTimer timer in held)
        {
            timer.FireHeld();
        }
    }

    /// <summary>The process died: no timer it created will ever fire.</summary>
    public void Kill()
    {
        Generation++;
        IsFrozen = false;
        _held.Clear();
        foreach (NodeTimer timer in _live.ToArray())
        {
            timer.Dispose();
        }
    }

    internal VirtualTimeProvider Time => _time;

    internal long NextOrder() => _nextOrder++;

    internal void Hold(NodeTimer timer) => _held.Add(timer);

    /// <summary>Takes <paramref name="timer"/> off the live list (if on it), moving the last one into its place.</summary>
    internal void Forget(NodeTimer timer)
    {
        int index = timer.LiveIndex;
        if (index < 0)
        {
            return;
        }

        NodeTimer last = _live[^1];
        _live[index] = last;
        last.LiveIndex = index;
        _live.RemoveAt(_live.Count - 1);
        timer.LiveIndex = -1;
    }

    internal void Remember(NodeTimer timer)
    {
        if (timer.LiveIndex < 0)
        {
            timer.LiveIndex = _live.Count;
            _live.Add(timer);
        }
    }

    /// <summary>The true duration of a local one (a local duration runs 1/<see cref="Rate"/> as long in true time); infinite stays infinite.</summary>
    /// <remarks>
    /// Without drift (nearly always) a duration is its own true duration: the division is
    /// skipped, within the range where a double holds every tick exactly, so the result is
    /// the one the division gives.
    /// </remarks>
    internal TimeSpan ToTrue(TimeSpan local) =>
        local == Timeout.InfiniteTimeSpan ? local
        : Rate == 1 && local.Ticks is >= -ExactInDouble and <= ExactInDouble ? local
        : TimeSpan.FromTicks((long)Math.Ceiling(local.Ticks / Rate));

    private const long ExactInDouble = 1L << 53;

    private long Local(long trueTicks) => _anchorLocal + (long)((trueTicks - _anchorTrue) * Rate);
}
