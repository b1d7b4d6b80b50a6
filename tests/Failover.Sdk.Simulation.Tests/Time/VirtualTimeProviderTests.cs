using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation.Tests.Time;

public sealed class VirtualTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly VirtualTimeProvider _time = new(Start);

    private TimeSpan Elapsed => _time.GetUtcNow() - Start;

    [Fact]
    public void Clock_stands_still_until_run_and_then_moves_exactly_to_the_tick()
    {
        long before = _time.GetTimestamp();
        Assert.Equal(Start, _time.GetUtcNow());
        Assert.Equal(TimeSpan.TicksPerSecond, _time.TimestampFrequency);

        Assert.Equal(0, _time.RunFor(TimeSpan.FromTicks(7)));

        Assert.Equal(Start.AddTicks(7), _time.GetUtcNow());
        Assert.Equal(7, _time.GetTimestamp() - before);
        Assert.Equal(TimeSpan.FromTicks(7), _time.GetElapsedTime(before));
    }

    [Fact]
    public void Timers_fire_in_due_order_and_ties_in_creation_order()
    {
        var fired = new List<(string Name, TimeSpan At)>();
        void Create(string name, TimeSpan due) =>
            _time.CreateTimer(_ => fired.Add((name, Elapsed)), null, due, Timeout.InfiniteTimeSpan);

        Create("c", TimeSpan.FromTicks(300));
        Create("a", TimeSpan.FromTicks(100));
        Create("b1", TimeSpan.FromTicks(200));
        Create("b2", TimeSpan.FromTicks(200));
        Create("b3", TimeSpan.FromTicks(200));

        Assert.Equal(5, _time.RunFor(TimeSpan.FromSeconds(1)));

        Assert.Equal(
            [("a", TimeSpan.FromTicks(100)), ("b1", TimeSpan.FromTicks(200)), ("b2", TimeSpan.FromTicks(200)), ("b3", TimeSpan.FromTicks(200)), ("c", TimeSpan.FromTicks(300))],
            fired);
        Assert.Equal(TimeSpan.FromSeconds(1), Elapsed);
    }

    [Fact]
    public void RunNext_moves_the_clock_to_the_earliest_due_timer_only()
    {
        int fired = 0;
        _time.CreateTimer(_ => fired++, null, TimeSpan.FromMilliseconds(5), Timeout.InfiniteTimeSpan);
        _time.CreateTimer(_ => fired++, null, TimeSpan.FromMilliseconds(9), Timeout.InfiniteTimeSpan);

        Assert.True(_time.RunNext());
        Assert.Equal((1, TimeSpan.FromMilliseconds(5)), (fired, Elapsed));
        Assert.True(_time.RunNext());
        Assert.Equal((2, TimeSpan.FromMilliseconds(9)), (fired, Elapsed));
        Assert.False(_time.RunNext());
        Assert.Equal(TimeSpan.FromMilliseconds(9), Elapsed);
    }

    [Fact]
    public void A_periodic_timer_fires_every_period_until_disposed()
    {
        var at = new List<TimeSpan>();
        ITimer timer = _time.CreateTimer(_ => at.Add(Elapsed), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(25));

        Assert.Equal(4, _time.RunFor(TimeSpan.FromMilliseconds(85)));
        Assert.Equal([10, 35, 60, 85], at.Select(t => t.TotalMilliseconds));
        Assert.Equal(1, _time.ScheduledTimerCount);

        timer.Dispose();
        Assert.Equal(0, _time.RunFor(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, _time.ScheduledTimerCount);
        Assert.Equal(4, at.Count);
    }

    [Fact]
    public void Change_reschedules_a_timer_and_is_refused_after_dispose()
    {
        var at = new List<TimeSpan>();
        ITimer timer = _time.CreateTimer(_ => at.Add(Elapsed), null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan));
        _time.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.Empty(at);

        _time.RunFor(TimeSpan.FromMilliseconds(20));
        Assert.Equal([TimeSpan.FromMilliseconds(30)], at);

        // Disarmed, then armed again relative to the new now.
        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        Assert.Equal(0, _time.ScheduledTimerCount);
        Assert.True(timer.Change(TimeSpan.FromMilliseconds(5), Timeout.InfiniteTimeSpan));
        _time.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.Equal([TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(45)], at);

        timer.Dispose();
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        Assert.Equal(0, _time.RunFor(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_zero_delay_timer_fires_on_the_next_run_at_the_current_instant_never_inside_CreateTimer()
    {
        _time.RunFor(TimeSpan.FromMilliseconds(3));
        int fired = 0;
        _time.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, fired);

        Assert.True(_time.RunNext());
        Assert.Equal(1, fired);
        Assert.Equal(TimeSpan.FromMilliseconds(3), Elapsed);
    }

    [Fact]
    public void A_zero_delay_loop_does_not_recurse_and_RunUntil_stops_it_at_the_bound()
    {
        int depth = 0;
        int maxDepth = 0;
        int fired = 0;
        void Loop(object? _)
        {
            depth++;
            maxDepth = Math.Max(maxDepth, depth);
            fired++;
            _time.CreateTimer(Loop, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            depth--;
        }

        _time.CreateTimer(Loop, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        var error = Assert.Throws<InvalidOperationException>(() => _time.RunFor(TimeSpan.FromSeconds(1), maxEvents: 1000));
        Assert.Contains("More than 1000 timer events", error.Message, StringComparison.Ordinal);
        Assert.Equal(1000, fired);
        Assert.Equal(1, maxDepth);
        Assert.Equal(Start, _time.GetUtcNow());
    }

    [Fact]
    public void RunUntil_with_exactly_the_bound_of_due_events_succeeds()
    {
        for (int i = 1; i <= 3; i++)
        {
            _time.CreateTimer(_ => { }, null, TimeSpan.FromTicks(i), Timeout.InfiniteTimeSpan);
        }

        Assert.Equal(3, _time.RunFor(TimeSpan.FromTicks(10), maxEvents: 3));
        Assert.Equal(TimeSpan.FromTicks(10), Elapsed);
    }

    [Fact]
    public void RunUntil_refuses_to_go_back_in_time()
    {
        _time.RunFor(TimeSpan.FromSeconds(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _time.RunUntil(Start));
    }

    [Fact]
    public void A_callback_may_not_run_events_itself()
    {
        Exception? inner = null;
        _time.CreateTimer(_ => inner = Record.Exception(() => _time.RunNext()), null, TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);

        _time.RunNext();

        Assert.IsType<InvalidOperationException>(inner);
    }

    [Fact]
    public void Negative_due_times_and_periods_are_rejected_like_the_system_timers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _time.CreateTimer(_ => { }, null, TimeSpan.FromTicks(-2), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => _time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromTicks(-2)));
    }
}
