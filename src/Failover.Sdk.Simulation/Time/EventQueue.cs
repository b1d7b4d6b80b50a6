namespace Failover.Sdk.Simulation.Time;

/// <summary>
/// The queue of <see cref="VirtualTimeProvider"/>: queued firings, earliest due first, ties
/// in <see cref="VirtualEvent.Sequence"/> order. Not thread-safe; the provider locks.
/// </summary>
/// <remarks>
/// <para>
/// A 4-ary min-heap, like <see cref="PriorityQueue{TElement, TPriority}"/>, but of keys
/// only: each firing's event and version sit in a slot beside the heap, and the heap holds
/// (due, sequence, slot). Moving an entry then copies no object reference, so sifting
/// needs no GC write barrier; with a <see cref="PriorityQueue{TElement, TPriority}"/> of
/// (event, version) each of the few moves per enqueue and dequeue called one, and every
/// simulated event is a dequeue and most are an enqueue.
/// </para>
/// <para>
/// A periodic timer's next firing replaces the one just taken (<see cref="ReplaceFirst"/>):
/// one sift instead of a dequeue and an enqueue.
/// </para>
/// </remarks>
internal sealed class EventQueue
{
    private const int Arity = 4;

    private Entry[] _heap = new Entry[64];
    private VirtualEvent?[] _events = new VirtualEvent?[64];
    private long[] _versions = new long[64];
    private int[] _freeSlots = new int[64];
    private int _count;
    private int _freeCount;
    private int _slotsUsed;

    public int Count => _count;

    /// <summary>Queues a firing of <paramref name="ev"/>, current while its version is <paramref name="version"/>.</summary>
    public void Enqueue(VirtualEvent ev, long version, long dueTicks, long sequence)
    {
        int slot = TakeSlot();
        _events[slot] = ev;
        _versions[slot] = version;
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        MoveUp(new Entry(dueTicks, sequence, slot), _count++);
    }

    /// <summary>The earliest firing, current or not.</summary>
    public bool TryPeek(out VirtualEvent ev, out long version, out long dueTicks)
    {
        if (_count == 0)
        {
            ev = null!;
            version = 0;
            dueTicks = 0;
            return false;
        }

        Entry first = _heap[0];
        ev = _events[first.Slot]!;
        version = _versions[first.Slot];
        dueTicks = first.DueTicks;
        return true;
    }

    /// <summary>Removes the earliest firing.</summary>
    public void Dequeue()
    {
        int slot = _heap[0].Slot;
        _events[slot] = null;
        _freeSlots[_freeCount++] = slot;
        int last = --_count;
        if (last > 0)
        {
            MoveDown(_heap[last], 0);
        }
    }

    /// <summary>Requeues the earliest firing's event (same version) at <paramref name="dueTicks"/>, in place of that firing.</summary>
    public void ReplaceFirst(long dueTicks, long sequence) => MoveDown(new Entry(dueTicks, sequence, _heap[0].Slot), 0);

    /// <summary>How many queued firings <paramref name="isCurrent"/> accepts.</summary>
    public int CountWhere(Func<VirtualEvent, long, bool> isCurrent)
    {
        int count = 0;
        for (int i = 0; i < _count; i++)
        {
            int slot = _heap[i].Slot;
            if (isCurrent(_events[slot]!, _versions[slot]))
            {
                count++;
            }
        }

        return count;
    }

    private static bool Precedes(in Entry a, in Entry b) =>
        a.DueTicks < b.DueTicks || (a.DueTicks == b.DueTicks && a.Sequence < b.Sequence);

    private int TakeSlot()
    {
        if (_freeCount > 0)
        {
            return _freeSlots[--_freeCount];
        }

        if (_slotsUsed == _events.Length)
        {
            Array.Resize(ref _events, _events.Length * 2);
            Array.Resize(ref _versions, _versions.Length * 2);
            Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
        }

        return _slotsUsed++;
    }

    private void MoveUp(Entry entry, int index)
    {
        Entry[] heap = _heap;
        while (index > 0)
        {
            int parent = (index - 1) / Arity;
            if (!Precedes(entry, heap[parent]))
            {
                break;
            }

            heap[index] = heap[parent];
            index = parent;
        }

        heap[index] = entry;
    }

    private void MoveDown(Entry entry, int index)
    {
        Entry[] heap = _heap;
        int count = _count;
        while (true)
        {
            int first = (index * Arity) + 1;
            if (first >= count)
            {
                break;
            }

            int least = first;
            int end = Math.Min(first + Arity, count);
            for (int child = first + 1; child < end; child++)
            {
                if (Precedes(heap[child], heap[least]))
                {
                    least = child;
                }
            }

            if (!Precedes(heap[least], entry))
            {
                break;
            }

            heap[index] = heap[least];
            index = least;
        }

        heap[index] = entry;
    }

    private readonly record struct Entry(long DueTicks, long Sequence, int Slot);
}
