namespace Failover.Sdk.Simulation.Time;

/// <summary>
/// A clock that stands still until the simulator moves it, event by event: the real SDK
/// components (agents' <see cref="PeriodicTimer"/> and <c>Task.Delay</c>, detectors) run on
/// it unchanged, and a run is the same every time.
/// </summary>
/// <remarks>
/// <para>
/// Time is exact to the tick: <see cref="TimeProvider.TimestampFrequency"/> is
/// <see cref="TimeSpan.TicksPerSecond"/> and a timer fires at precisely its due instant.
/// Timers due at the same instant fire in the order they were created.
/// </para>
/// <para>
/// Callbacks run on the thread that calls <see cref="RunNext"/>, <see cref="RunUntil"/> or
/// <see cref="RunFor"/>, never inside <see cref="CreateTimer"/> or <see cref="ITimer.Change"/>
/// (so a zero-delay loop cannot recurse), and with no <see cref="SynchronizationContext"/>,
/// so the awaits they complete continue inline on that same thread. A callback's exception
/// propagates to the caller: in a simulation a crash must stop the run, not vanish.
/// </para>
/// <para>
/// Thread-safe, so components may create timers from other threads; but only one thread
/// at a time may run events, and a callback may not run events itself.
/// </para>
/// </remarks>
public sealed class VirtualTimeProvider : TimeProvider
{
    /// <summary>The default bound on events per <see cref="RunUntil"/> or <see cref="RunFor"/> call.</summary>
    public const int DefaultMaxEvents = 1_000_000;

    private readonly Lock _gate = new();
    private readonly EventQueue _queue = new();
    private long _nowTicks;
    private long _nextSequence;
    private long _fired;
    private bool _running;

    /// <summary>Creates a clock that reads <paramref name="start"/> until it is advanced.</summary>
    public VirtualTimeProvider(DateTimeOffset start)
    {
        _nowTicks = start.UtcTicks;
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>UTC, whatever the machine says: local time is an input the run would not control.</summary>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>How many timers are scheduled to fire (a periodic timer counts once).</summary>
    public int ScheduledTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.CountWhere(IsCurrent);
            }
        }
    }

    /// <summary>How many events (timer firings, and the simulator's own events) have run since this clock was made.</summary>
    public long EventsRun => Interlocked.Read(ref _fired);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(GetTimestamp(), TimeSpan.Zero);

    /// <inheritdoc />
    /// <remarks>
    /// Read without the lock: every frame read the clock several times (agents, detectors,
    /// the network), and the uncontended lock was a tenth of a simulation's time. The
    /// instant is written only under the lock, and a 64-bit volatile read is atomic, so a
    /// reader sees a whole instant: the one before or the one after a concurrent move.
    /// </remarks>
    public override long GetTimestamp() => Volatile.Read(ref _nowTicks);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        VirtualTimer.Validate(dueTime, period);

        // Like the system timers, flow the creator's ExecutionContext unless it suppressed
        // flow (Task.Delay and CancellationTokenSource do), so AsyncLocals behave the same.
        var timer = new VirtualTimer(this, callback, state, ExecutionContext.Capture());
        lock (_gate)
        {
            timer.Sequence = NextSequence();
            ScheduleLocked(timer, dueTime, period);
        }

        return timer;
    }

    /// <summary>Schedules the one-shot <paramref name="ev"/> to run <paramref name="delayTicks"/> from now, after everything already due then.</summary>
    internal void Schedule(VirtualEvent ev, long delayTicks)
    {
        lock (_gate)
        {
            ev.Sequence = NextSequence();
            ev.Version++;
            ev.PeriodTicks = 0;
            if (TryAdd(_nowTicks, Math.Max(0, delayTicks), out long due))
            {
                _queue.Enqueue(ev, ev.Version, due, ev.Sequence);
            }
        }
    }

    /// <summary>
    /// Fires the earliest scheduled timer, first moving the clock to its due instant.
    /// </summary>
    /// <returns>Whether a timer fired; <see langword="false"/> when none is scheduled.</returns>
    /// <exception cref="InvalidOperationException">Called from a timer callback, or while another thread runs events.</exception>
    public bool RunNext() => RunCore(long.MaxValue, maxEvents: 1) == 1;

    /// <summary>
    /// Fires, in order, every timer due at or before <paramref name="target"/> (including
    /// those the callbacks schedule meanwhile), then moves the clock to <paramref name="target"/>.
    /// </summary>
    /// <param name="target">The instant to run to; not before now.</param>
    /// <param name="maxEvents">
    /// The most timers that may fire: a bound so that a runaway loop (say, one that keeps
    /// scheduling zero-delay timers) fails the run instead of hanging it.
    /// </param>
    /// <returns>How many timers fired.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="target"/> is in the past, or <paramref name="maxEvents"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">More than <paramref name="maxEvents"/> timers were due; or called from a timer callback, or while another thread runs events.</exception>
    public int RunUntil(DateTimeOffset target, int maxEvents = DefaultMaxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEvents);
        long targetTicks = target.UtcTicks;
        long now = GetTimestamp();
        if (targetTicks < now)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"The target {target:O} is before the virtual now {new DateTimeOffset(now, TimeSpan.Zero):O}; virtual time never goes back.");
        }

        int fired = RunCore(targetTicks, maxEvents);
        if (fired == maxEvents && HasDue(targetTicks))
        {
            throw new InvalidOperationException($"More than {maxEvents} timer events were due by {target:O} (virtual now is {GetUtcNow():O}); a loop is probably rescheduling without moving time forward.");
        }

        lock (_gate)
        {
            Volatile.Write(ref _nowTicks, Math.Max(_nowTicks, targetTicks));
        }

        return fired;
    }

    /// <summary>Runs for <paramref name="duration"/> of virtual time: <see cref="RunUntil"/> now plus <paramref name="duration"/>.</summary>
    /// <param name="duration">How long to run; not negative.</param>
    /// <param name="maxEvents">The most timers that may fire, as for <see cref="RunUntil"/>.</param>
    /// <returns>How many timers fired.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> or <paramref name="maxEvents"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">More than <paramref name="maxEvents"/> timers were due; or called from a timer callback, or while another thread runs events.</exception>
    public int RunFor(TimeSpan duration, int maxEvents = DefaultMaxEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return RunUntil(GetUtcNow() + duration, maxEvents);
    }

    /// <summary>Fires up to <paramref name="maxEvents"/> timers due at or before <paramref name="limitTicks"/>.</summary>
    private int RunCore(long limitTicks, int maxEvents)
    {
        lock (_gate)
        {
            if (_running)
            {
                throw new InvalidOperationException("Virtual time is already running events: a timer callback may not run events itself, and only one thread may run them at a time.");
            }

            _running = true;
        }

        SynchronizationContext? context = SynchronizationContext.Current;
        try
        {
            // Without a context, awaits completed by a callback continue inline here instead
            // of being posted (a test framework's context would otherwise receive them).
            SynchronizationContext.SetSynchronizationContext(null);
            int fired = 0;
            try
            {
                while (fired < maxEvents && TryTakeDue(limitTicks, out VirtualEvent? timer))
                {
                    fired++;
                    timer.Fire();
                }
            }
            finally
            {
                Interlocked.Add(ref _fired, fired);
            }

            return fired;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
            lock (_gate)
            {
                _running = false;
            }
        }
    }

    private bool HasDue(long limitTicks)
    {
        lock (_gate)
        {
            return TryPeekCurrentLocked(out _, out long due) && due <= limitTicks;
        }
    }

    /// <summary>Takes the earliest timer due by <paramref name="limitTicks"/>, moves now to it, and reschedules it if periodic.</summary>
    private bool TryTakeDue(long limitTicks, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VirtualEvent? timer)
    {
        lock (_gate)
        {
            if (!TryPeekCurrentLocked(out timer, out long due) || due > limitTicks)
            {
                timer = null;
                return false;
            }

            Volatile.Write(ref _nowTicks, Math.Max(_nowTicks, due));
            if (timer.PeriodTicks > 0 && TryAdd(due, timer.PeriodTicks, out long nextDue))
            {
                _queue.ReplaceFirst(nextDue, timer.Sequence);
            }
            else
            {
                _queue.Dequeue();
                timer.Version++;
            }

            return true;
        }
    }

    /// <summary>Finds the earliest entry still current, dropping those a Change or Dispose made stale.</summary>
    private bool TryPeekCurrentLocked([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VirtualEvent? timer, out long dueTicks)
    {
        while (_queue.TryPeek(out timer, out long version, out dueTicks))
        {
            if (IsCurrent(timer, version))
            {
                return true;
            }

            _queue.Dequeue();
        }

        timer = null;
        return false;
    }

    /// <summary>Whether a queued firing still stands: a Change or Dispose since it was queued makes it stale.</summary>
    private static bool IsCurrent(VirtualEvent timer, long version) => !timer.IsDisposed && timer.Version == version;

    /// <summary>(Re)schedules <paramref name="timer"/>; any earlier schedule of it becomes stale.</summary>
    private void ScheduleLocked(VirtualEvent timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.Version++;
        timer.PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;

        // A due time past the end of representable time is the same as never.
        if (dueTime != Timeout.InfiniteTimeSpan && TryAdd(_nowTicks, dueTime.Ticks, out long due))
        {
            _queue.Enqueue(timer, timer.Version, due, timer.Sequence);
        }
    }

    /// <summary>
    /// Gives <paramref name="timer"/>, a timer of the simulator's own that is not yet
    /// scheduled, its place among timers due at the same instant: creation order, as for
    /// <see cref="CreateTimer"/>. Schedule it with <see cref="Change"/>.
    /// </summary>
    internal void Register(VirtualEvent timer) => timer.Sequence = NextSequence();

    /// <summary>(Re)schedules a timer made by <see cref="CreateTimer"/> or registered by <see cref="Register"/>, keeping its place in ties.</summary>
    /// <returns><see langword="false"/> when the timer is disposed, as <see cref="ITimer.Change"/> requires.</returns>
    internal bool Change(VirtualEvent timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            if (timer.IsDisposed)
            {
                return false;
            }

            ScheduleLocked(timer, dueTime, period);
            return true;
        }
    }

    internal void Cancel(VirtualEvent timer)
    {
        lock (_gate)
        {
            timer.IsDisposed = true;
            timer.Version++;
        }
    }

    /// <summary>
    /// The next place in ties. Atomic rather than under the lock, so that a node's timers
    /// (one per agent <c>Task.Delay</c>) take their place without a lock of their own.
    /// </summary>
    private long NextSequence() => Interlocked.Increment(ref _nextSequence) - 1;

    private static bool TryAdd(long ticks, long delta, out long sum)
    {
        sum = ticks + delta;
        return delta <= DateTimeOffset.MaxValue.UtcTicks - ticks;
    }
}
