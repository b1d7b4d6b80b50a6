namespace Failover.Sdk.Wire;

/// <summary>
/// Per (sender, path) replay protection: the newest incarnation seen and a 64-frame
/// sliding window of sequence numbers within it (the IPsec anti-replay scheme).
/// </summary>
/// <remarks>
/// Bounded: at most <c>capacity</c> pairs are tracked, so forged sender ids cannot grow
/// memory. Thread-safe, because a TCP transport reads several connections at once; the
/// lock is uncontended in the common single-reader case.
/// </remarks>
internal sealed class ReplayWindow
{
    private const int WindowSize = 64;

    private readonly Dictionary<(uint Sender, ushort Path), State> _states;
    private readonly int _capacity;
    private readonly Lock _gate = new();

    public ReplayWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _states = new Dictionary<(uint, ushort), State>(Math.Min(capacity, 64));
    }

    /// <summary>Judges a frame and, when <paramref name="commit"/> and it is accepted, records it.</summary>
    /// <param name="sender">The frame's sender node.</param>
    /// <param name="path">The path it arrived on.</param>
    /// <param name="incarnation">The sender's incarnation.</param>
    /// <param name="sequence">The frame's sequence number.</param>
    /// <param name="commit">
    /// False for frames that are accepted without being authenticated while a key is
    /// configured (a key being rolled out): they are judged against the window but never
    /// move it, so a forged frame with a huge sequence cannot lock the real sender out.
    /// </param>
    public FrameRejectReason Check(uint sender, ushort path, uint incarnation, ulong sequence, bool commit = true)
    {
        lock (_gate)
        {
            ref State state = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_states, (sender, path));
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref state))
            {
                if (_states.Count >= _capacity)
                {
                    return FrameRejectReason.TooManySenders;
                }

                if (commit)
                {
                    _states[(sender, path)] = State.Start(incarnation, sequence);
                }

                return FrameRejectReason.None;
            }

            if (incarnation != state.Incarnation)
            {
                if (incarnation < state.Incarnation)
                {
                    return FrameRejectReason.Stale;
                }

                if (commit)
                {
                    state = State.Start(incarnation, sequence);
                }

                return FrameRejectReason.None;
            }

            if (sequence > state.Highest)
            {
                if (!commit)
                {
                    return FrameRejectReason.None;
                }

                ulong shift = sequence - state.Highest;
                state.Seen = shift >= WindowSize ? 1UL : (state.Seen << (int)shift) | 1UL;
                state.Highest = sequence;
                return FrameRejectReason.None;
            }

            ulong behind = state.Highest - sequence;
            if (behind >= WindowSize)
            {
                return FrameRejectReason.Stale;
            }

            ulong bit = 1UL << (int)behind;
            if ((state.Seen & bit) != 0)
            {
                return FrameRejectReason.Replayed;
            }

            if (commit)
            {
                state.Seen |= bit;
            }

            return FrameRejectReason.None;
        }
    }

    private struct State
    {
        public uint Incarnation;
        public ulong Highest;

        /// <summary>Bit i set: sequence <c>Highest - i</c> was seen.</summary>
        public ulong Seen;

        public static State Start(uint incarnation, ulong sequence) =>
            new() { Incarnation = incarnation, Highest = sequence, Seen = 1UL };
    }
}
