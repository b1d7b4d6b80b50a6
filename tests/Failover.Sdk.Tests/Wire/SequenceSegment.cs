using System.Buffers;

namespace Failover.Sdk.Tests.Wire;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the shape a pipe hands a stream
/// reader when a frame straddles buffers.
/// </summary>
internal sealed class SequenceSegment : ReadOnlySequenceSegment<byte>
{
    private SequenceSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>The parts, in order, as one sequence; empty parts are kept as empty segments.</summary>
    public static ReadOnlySequence<byte> Join(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new SequenceSegment(parts[0], 0);
        SequenceSegment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            var next = new SequenceSegment(parts[i], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Two segments: <c>bytes[..at]</c> and <c>bytes[at..]</c> (either may be empty).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at) =>
        Join(bytes.AsMemory(0, at), bytes.AsMemory(at));

    /// <summary>Segments of <paramref name="size"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Chunks(byte[] bytes, int size)
    {
        var parts = new ReadOnlyMemory<byte>[(bytes.Length + size - 1) / size];
        for (int i = 0; i < parts.Length; i++)
        {
            int start = i * size;
            parts[i] = bytes.AsMemory(start, Math.Min(size, bytes.Length - start));
        }

        return Join(parts);
    }
}
