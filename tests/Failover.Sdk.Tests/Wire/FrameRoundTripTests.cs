using System.Buffers;
using Failover.Sdk.Wire;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Wire;

/// <summary>Every valid frame written by <see cref="FrameWriter"/> reads back equal, however it is delivered.</summary>
[Properties(Arbitrary = [typeof(WireArbitraries)])]
public class FrameRoundTripTests
{
    [Property(MaxTest = 2000)]
    public void Datagram_reads_back_the_written_frame(Frame frame, bool tagged)
    {
        byte[] bytes = WireSamples.Encode(frame, tagged);

        FrameReadResult result = WireSamples.ReaderWithKey().Read(bytes, out Frame read);

        AssertAccepted(frame, bytes.Length, tagged, result, read);
    }

    [Property(MaxTest = 2000)]
    public void Buffer_writer_overload_writes_the_same_bytes_and_appends(Frame frame, bool tagged)
    {
        FrameWriter writer = WireSamples.Writer(tagged);
        byte[] expected = WireSamples.Encode(frame, writer);
        var output = new ArrayBufferWriter<byte>(1);

        int first = writer.Write(frame, output);
        int second = writer.Write(frame, output);

        Assert.Equal(expected.Length, first);
        Assert.Equal(expected.Length, second);
        Assert.Equal([.. expected, .. expected], output.WrittenSpan.ToArray());
        FrameReadResult result = WireSamples.ReaderWithKey().Read(output.WrittenSpan[..first], out Frame read);
        AssertAccepted(frame, first, tagged, result, read);
    }

    [Property(MaxTest = 2000)]
    public void Stream_reads_back_the_frame_split_into_two_segments_at_every_position(Frame frame, bool tagged)
    {
        byte[] bytes = WireSamples.Encode(frame, tagged);

        for (int at = 0; at <= bytes.Length; at++)
        {
            ReadOnlySequence<byte> buffer = SequenceSegment.Split(bytes, at);

            // A fresh reader per read: the same frame read twice by one reader is a replay.
            FrameReadResult result = FreshReader().Read(buffer, out Frame read);

            AssertAccepted(frame, bytes.Length, tagged, result, read);
        }
    }

    [Property(MaxTest = 2000)]
    public void Stream_reads_back_the_frame_in_one_byte_segments(Frame frame, bool tagged)
    {
        byte[] bytes = WireSamples.Encode(frame, tagged);

        FrameReadResult result = FreshReader().Read(SequenceSegment.Chunks(bytes, 1), out Frame read);

        AssertAccepted(frame, bytes.Length, tagged, result, read);
    }

    [Property(MaxTest = 2000)]
    public void Stream_reads_back_to_back_frames_one_after_the_other(Frame frame, bool tagged, byte chunk)
    {
        FrameWriter writer = WireSamples.Writer(tagged);
        Frame next = frame with { PathId = (ushort)(frame.PathId ^ 1) };
        byte[] bytes = [.. WireSamples.Encode(frame, writer), .. WireSamples.Encode(next, writer)];
        ReadOnlySequence<byte> buffer = SequenceSegment.Chunks(bytes, 1 + (chunk % 120));
        FrameReader reader = WireSamples.ReaderWithKey();

        FrameReadResult first = reader.Read(buffer, out Frame readFirst);
        FrameReadResult second = reader.Read(buffer.Slice(first.BytesConsumed), out Frame readSecond);

        AssertAccepted(frame, bytes.Length / 2, tagged, first, readFirst);
        AssertAccepted(next, bytes.Length / 2, tagged, second, readSecond);
    }

    private static FrameReader FreshReader() => WireSamples.ReaderWithKey(replayCapacity: 1);

    private static void AssertAccepted(Frame written, int length, bool tagged, FrameReadResult result, Frame read)
    {
        Assert.Equal(FrameReadResult.Accept(length, authenticated: tagged), result);
        Assert.Equal(written, read);
    }
}
