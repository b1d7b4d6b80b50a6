namespace Failover.Sdk.Benchmarks;

/// <summary>
/// The floor under any discrete-event simulator: a <see cref="PriorityQueue{TElement, TPriority}"/>
/// of actions keyed by due time, each event doing nothing but count itself and schedule its
/// next firing. What the simulator adds on top (agents, codec, detectors, network model,
/// timers) is the difference between the two.
/// </summary>
internal sealed class BareEventLoop
{
    private readonly PriorityQueue<Action, long> _queue = new();
    private long _now;
    private long _fired;

    /// <summary>
    /// Fires <paramref name="events"/> events from <paramref name="population"/> periodic
    /// ones, staggered over <paramref name="periodTicks"/>, so the queue holds
    /// <paramref name="population"/> entries throughout.
    /// </summary>
    /// <returns>The virtual instant of the last event (so the work cannot be dropped).</returns>
    public long Run(long events, int population, long periodTicks)
    {
        _queue.Clear();
        _now = 0;
        _fired = 0;
        for (int i = 0; i < population; i++)
        {
            var ticker = new Ticker(this, periodTicks);
            _queue.Enqueue(ticker.Fire, i * periodTicks / population);
        }

        while (_fired < events && _queue.TryDequeue(out Action? action, out long due))
        {
            _now = due;
            action();
        }

        return _now;
    }

    private sealed class Ticker
    {
        private readonly BareEventLoop _loop;
        private readonly long _period;

        public Ticker(BareEventLoop loop, long period)
        {
            _loop = loop;
            _period = period;
            Fire = OnFire;
        }

        public Action Fire { get; }

        private void OnFire()
        {
            _loop._fired++;
            _loop._queue.Enqueue(Fire, _loop._now + _period);
        }
    }
}
