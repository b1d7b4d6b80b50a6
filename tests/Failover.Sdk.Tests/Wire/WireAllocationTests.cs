using System.Buffers;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary>
/// The heartbeat path allocates nothing in steady state (BY-6). A correctness check on
/// this thread's allocation counter, not a timing test; the benchmarks measure speed.
/// </summary>
public class WireAllocationTests
{
    private const int WarmUp = 200;
    private const int Measured = 1000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writing_frames_allocates_nothing(bool tagged)
    {
        FrameWriter writer = WireSamples.Writer(tagged);
        Frame[] frames = [.. WireSamples.Types.Select(t => WireSamples.OfType(t))];
        byte[] destination = new byte[FrameReaderOptions.LargestFrameLength];
        var output = new ArrayBufferWriter<byte>(FrameReaderOptions.LargestFrameLength);
        WriteMany(writer, frames, destination, output, WarmUp);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int written = WriteMany(writer, frames, destination, output, Measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(written > Measured * 2 * FrameReaderOptions.SmallestFrameLength, $"wrote only {written} bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reading_datagrams_allocates_nothing(bool tagged)
    {
        (byte[] stream, int[] lengths) = Encoded(tagged);
        FrameReader reader = WireSamples.ReaderWithKey();
        int offset = ReadDatagrams(reader, stream, lengths, 0, 0, WarmUp, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        offset = ReadDatagrams(reader, stream, lengths, offset, WarmUp, Measured, out int accepted);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Measured, accepted);
        Assert.Equal(stream.Length, offset);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 7)]
    [InlineData(true, 7)]
    public void Reading_a_stream_allocates_nothing(bool tagged, int chunk)
    {
        // Chunk 0 is one segment (frames read in place); 7 makes nearly every frame straddle
        // segments, so the copy path is measured too.
        (byte[] stream, _) = Encoded(tagged);
        ReadOnlySequence<byte> buffer = chunk == 0 ? new ReadOnlySequence<byte>(stream) : SequenceSegment.Chunks(stream, chunk);
        FrameReader reader = WireSamples.ReaderWithKey();
        buffer = ReadStream(reader, buffer, WarmUp, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ReadStream(reader, buffer, Measured, out int accepted);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Measured, accepted);
    }

    private static int WriteMany(FrameWriter writer, Frame[] frames, byte[] destination, ArrayBufferWriter<byte> output, int count)
    {
        int written = 0;
        for (int i = 0; i < count; i++)
        {
            Frame frame = frames[i % frames.Length];
            written += writer.Write(frame, destination);
            output.ResetWrittenCount();
            written += writer.Write(frame, output);
        }

        return written;
    }

    private static int ReadDatagrams(FrameReader reader, byte[] stream, int[] lengths, int offset, int first, int count, out int accepted)
    {
        accepted = 0;
        for (int i = first; i < first + count; i++)
        {
            if (reader.Read(stream.AsSpan(offset, lengths[i]), out _).Status == FrameReadStatus.Frame)
            {
                accepted++;
            }

            offset += lengths[i];
        }

        return offset;
    }

    private static ReadOnlySequence<byte> ReadStream(FrameReader reader, ReadOnlySequence<byte> buffer, int count, out int accepted)
    {
        accepted = 0;
        for (int i = 0; i < count; i++)
        {
            FrameReadResult result = reader.Read(buffer, out _);
            if (result.Status == FrameReadStatus.Frame)
            {
                accepted++;
            }

            buffer = buffer.Slice(result.BytesConsumed);
        }

        return buffer;
    }

    // Every type in turn, each with the next sequence number, so none is a replay.
    private static (byte[] Stream, int[] Lengths) Encoded(bool tagged)
    {
        FrameWriter writer = WireSamples.Writer(tagged);
        var output = new ArrayBufferWriter<byte>();
        int[] lengths = new int[WarmUp + Measured];
        for (int i = 0; i < lengths.Length; i++)
        {
            lengths[i] = writer.Write(WireSamples.OfType(WireSamples.Types[i % WireSamples.Types.Length], sequence: (ulong)i + 1), output);
        }

        return (output.WrittenSpan.ToArray(), lengths);
    }
}
