using System.Buffers;
using System.Buffers.Binary;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary>
/// How the stream overload delimits frames: it waits for whole frames, refuses hostile
/// lengths from the header alone, and steps over a delimited but rejected frame.
/// </summary>
public class StreamFramingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Fewer_bytes_than_a_header_need_more_data(int length)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat), tagged: false)[..length];

        Assert.Equal(FrameReadResult.NeedMoreData, new FrameReader().Read(new ReadOnlySequence<byte>(bytes), out _));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(61)]
    public void Fewer_bytes_than_the_length_need_more_data(int length)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat), tagged: true)[..length];

        Assert.Equal(FrameReadResult.NeedMoreData, WireSamples.ReaderWithKey().Read(SequenceSegment.Chunks(bytes, 5), out _));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(40)]
    public void Oversized_length_is_rejected_from_the_header_alone(int available)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat), tagged: false);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), 0xFFFF);
        var reader = new FrameReader(new FrameReaderOptions { MaxFrameLength = 256 });

        // The body does not exist yet: the reader must not wait for (and so buffer) 64 KiB.
        FrameReadResult result = reader.Read(SequenceSegment.Split(bytes[..available], 3), out _);

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Oversized, consumed: 0), result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Frame_with_a_bad_tag_is_consumed_and_the_next_frame_reads(int chunk)
    {
        FrameWriter writer = WireSamples.Writer(tagged: true);
        byte[] forged = WireSamples.Encode(WireSamples.OfType(FrameType.Probe, sequence: 1), writer);
        forged[^1] ^= 0x01;
        Frame good = WireSamples.OfType(FrameType.Heartbeat, sequence: 2);
        byte[] stream = [.. forged, .. WireSamples.Encode(good, writer)];

        AssertSkipsThenReads(stream, chunk, WireSamples.ReaderWithKey(), FrameRejectReason.BadTag, forged.Length, good);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Replayed_frame_is_consumed_and_the_next_frame_reads(int chunk)
    {
        FrameWriter writer = WireSamples.Writer(tagged: true);
        byte[] first = WireSamples.Encode(WireSamples.OfType(FrameType.DiagnosticProbe, sequence: 1), writer);
        Frame good = WireSamples.OfType(FrameType.DiagnosticReply, sequence: 2);
        byte[] stream = [.. first, .. WireSamples.Encode(good, writer)];
        FrameReader reader = WireSamples.ReaderWithKey();
        Assert.Equal(FrameReadStatus.Frame, reader.Read(first, out _).Status);

        AssertSkipsThenReads(stream, chunk, reader, FrameRejectReason.Replayed, first.Length, good);
    }

    [Fact]
    public void Untagged_frame_where_tags_are_required_is_consumed_and_the_next_frame_reads()
    {
        byte[] untagged = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat, sequence: 1), tagged: false);
        Frame good = WireSamples.OfType(FrameType.Heartbeat, sequence: 2);
        byte[] stream = [.. untagged, .. WireSamples.Encode(good, tagged: true)];
        var reader = new FrameReader(new FrameReaderOptions { Authenticator = new FrameAuthenticator(WireSamples.KeyA), RequireAuthentication = true });

        AssertSkipsThenReads(stream, 1, reader, FrameRejectReason.MissingTag, untagged.Length, good);
    }

    [Fact]
    public void Frame_from_sender_zero_is_consumed_and_the_next_frame_reads()
    {
        FrameWriter writer = WireSamples.Writer(tagged: true);
        byte[] anonymous = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat, sender: 0), writer);
        Frame good = WireSamples.OfType(FrameType.Heartbeat);
        byte[] stream = [.. anonymous, .. WireSamples.Encode(good, writer)];

        AssertSkipsThenReads(stream, 3, WireSamples.ReaderWithKey(), FrameRejectReason.InvalidSender, anonymous.Length, good);
    }

    private static void AssertSkipsThenReads(byte[] stream, int chunk, FrameReader reader, FrameRejectReason reason, int rejectedLength, Frame next)
    {
        ReadOnlySequence<byte> buffer = chunk == 0 ? new ReadOnlySequence<byte>(stream) : SequenceSegment.Chunks(stream, chunk);

        FrameReadResult rejected = reader.Read(buffer, out Frame none);
        FrameReadResult accepted = reader.Read(buffer.Slice(rejected.BytesConsumed), out Frame read);

        Assert.Equal(FrameReadResult.Reject(reason, rejectedLength), rejected);
        Assert.Equal(default, none);
        Assert.Equal(FrameReadResult.Accept(stream.Length - rejectedLength, authenticated: true), accepted);
        Assert.Equal(next, read);
    }
}
