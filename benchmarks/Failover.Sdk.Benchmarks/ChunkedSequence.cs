using System.Buffers;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Builds a multi-segment <see cref="ReadOnlySequence{T}"/> over a buffer, the shape a
/// socket's pipe hands a reader, with segments small enough that frames straddle them.
/// </summary>
internal static class ChunkedSequence
{
    public static ReadOnlySequence<byte> Create(ReadOnlyMemory<byte> data, int segmentLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentLength, 1);
        ArgumentOutOfRangeException.ThrowIfZero(data.Length);

        var first = new Segment(data[..Math.Min(segmentLength, data.Length)], runningIndex: 0);
        Segment last = first;
        for (int start = segmentLength; start < data.Length; start += segmentLength)
        {
            last = last.Append(data[start..Math.Min(start + segmentLength, data.Length)]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
