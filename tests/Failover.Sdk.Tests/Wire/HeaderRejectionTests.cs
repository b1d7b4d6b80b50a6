using System.Buffers;
using System.Buffers.Binary;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary>Each header and framing rule of <c>docs/wire-protocol.md</c> rejects the input it names, for the reason it names.</summary>
public class HeaderRejectionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Datagram_shorter_than_the_header_is_Truncated(int length)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat), tagged: false)[..length];

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Truncated), new FrameReader().Read(bytes, out _));
    }

    [Theory]
    [MemberData(nameof(WireTheoryData.Shapes), MemberType = typeof(WireTheoryData))]
    public void Datagram_shorter_than_its_length_is_Truncated(FrameType type, bool tagged)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(type), tagged);

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Truncated), WireSamples.ReaderWithKey().Read(bytes.AsSpan(..^1), out _));
        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Truncated), WireSamples.ReaderWithKey().Read(bytes.AsSpan(..9), out _));
    }

    [Theory]
    [MemberData(nameof(WireTheoryData.Shapes), MemberType = typeof(WireTheoryData))]
    public void Datagram_longer_than_its_length_has_TrailingBytes(FrameType type, bool tagged)
    {
        byte[] bytes = [.. WireSamples.Encode(WireSamples.OfType(type), tagged), 0];

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.TrailingBytes), WireSamples.ReaderWithKey().Read(bytes, out _));
    }

    [Theory]
    [InlineData(0, 0xFB)]
    [InlineData(1, 0x10)]
    [InlineData(0, 0x00)]
    public void Wrong_magic_is_BadMagic(int offset, byte value) =>
        AssertHeaderRejected(b => b[offset] = value, FrameRejectReason.BadMagic);

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Other_version_is_UnsupportedVersion(byte version) =>
        AssertHeaderRejected(b => b[2] = version, FrameRejectReason.UnsupportedVersion);

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(255)]
    public void Undefined_type_is_UnknownFrameType(byte type) =>
        AssertHeaderRejected(b => b[3] = type, FrameRejectReason.UnknownFrameType);

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x80)]
    [InlineData(0xFE)]
    public void Undefined_flag_bit_is_ReservedBitsSet(byte bit) =>
        AssertHeaderRejected(b => b[4] |= bit, FrameRejectReason.ReservedBitsSet);

    [Theory]
    [InlineData(1)]
    [InlineData(0x80)]
    public void Non_zero_reserved_byte_is_ReservedBitsSet(byte value) =>
        AssertHeaderRejected(b => b[5] = value, FrameRejectReason.ReservedBitsSet);

    [Fact]
    public void Length_field_above_the_maximum_is_Oversized() =>
        AssertHeaderRejected(b => BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(6), 0xFFFF), FrameRejectReason.Oversized);

    [Fact]
    public void Frame_longer_than_a_small_maximum_is_Oversized()
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.ProbeReply), tagged: false);
        var reader = new FrameReader(new FrameReaderOptions { MaxFrameLength = bytes.Length - 1 });

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Oversized), reader.Read(bytes, out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(16)]
    public void Length_field_off_the_type_size_is_LengthMismatch(int delta)
    {
        // The datagram is resized to match its length field, so only the type's size is wrong.
        byte[] valid = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat), tagged: false);
        byte[] bytes = new byte[valid.Length + delta];
        valid.AsSpan(..Math.Min(valid.Length, bytes.Length)).CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), (ushort)(bytes.Length - 8));

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.LengthMismatch), new FrameReader().Read(bytes, out _));
    }

    [Fact]
    public void Authenticated_flag_without_room_for_a_tag_is_LengthMismatch() =>
        AssertHeaderRejected(b => b[4] = 1, FrameRejectReason.LengthMismatch);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sender_zero_is_InvalidSender(bool tagged)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat, sender: 0), tagged);

        FrameReadResult result = WireSamples.ReaderWithKey().Read(bytes, out Frame frame);

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.InvalidSender, bytes.Length), result);
        Assert.Equal(default, frame);
    }

    // A header rule breaks framing: both overloads reject it, and the stream one consumes nothing.
    private static void AssertHeaderRejected(Action<byte[]> tamper, FrameRejectReason reason)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat), tagged: false);
        tamper(bytes);
        var reader = new FrameReader();

        Assert.Equal(FrameReadResult.Reject(reason), reader.Read(bytes, out Frame fromDatagram));
        Assert.Equal(FrameReadResult.Reject(reason), reader.Read(new ReadOnlySequence<byte>(bytes), out Frame fromStream));
        Assert.Equal(FrameReadResult.Reject(reason), reader.Read(SequenceSegment.Chunks(bytes, 3), out _));
        Assert.Equal(default, fromDatagram);
        Assert.Equal(default, fromStream);
    }
}
