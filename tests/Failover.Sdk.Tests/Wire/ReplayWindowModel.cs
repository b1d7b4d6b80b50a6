using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary>
/// The replay rules of <c>docs/wire-protocol.md</c> written the obvious way (every pair ever
/// seen, no bit tricks), as the reference <see cref="ReplayWindow"/> is checked against.
/// </summary>
internal sealed class ReplayWindowModel(int capacity)
{
    /// <summary>The window: the newest sequence and the 63 before it.</summary>
    public const ulong WindowSize = 64;

    private readonly Dictionary<(uint Sender, ushort Path), Pair> _pairs = [];

    public FrameRejectReason Check(ReplayStep step)
    {
        if (!_pairs.TryGetValue((step.Sender, step.Path), out Pair? pair))
        {
            if (_pairs.Count >= capacity)
            {
                return FrameRejectReason.TooManySenders;
            }

            _pairs[(step.Sender, step.Path)] = Pair.Start(step);
            return FrameRejectReason.None;
        }

        if (step.Incarnation < pair.Incarnation)
        {
            return FrameRejectReason.Stale;
        }

        if (step.Incarnation > pair.Incarnation)
        {
            _pairs[(step.Sender, step.Path)] = Pair.Start(step);
            return FrameRejectReason.None;
        }

        if (step.Sequence < pair.Highest && pair.Highest - step.Sequence >= WindowSize)
        {
            return FrameRejectReason.Stale;
        }

        if (!pair.Seen.Add(step.Sequence))
        {
            return FrameRejectReason.Replayed;
        }

        pair.Highest = Math.Max(pair.Highest, step.Sequence);
        return FrameRejectReason.None;
    }

    private sealed class Pair
    {
        public uint Incarnation { get; private init; }

        public ulong Highest { get; set; }

        public HashSet<ulong> Seen { get; } = [];

        public static Pair Start(ReplayStep step)
        {
            var pair = new Pair { Incarnation = step.Incarnation, Highest = step.Sequence };
            pair.Seen.Add(step.Sequence);
            return pair;
        }
    }
}
