using System.Buffers;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary><see cref="FrameWriter"/> writes the sizes and bytes <c>docs/wire-protocol.md</c> specifies, and refuses what it cannot write.</summary>
public class FrameWriterTests
{
    [Theory]
    [InlineData(FrameType.Heartbeat, 46)]
    [InlineData(FrameType.Probe, 66)]
    [InlineData(FrameType.ProbeReply, 82)]
    [InlineData(FrameType.DiagnosticProbe, 55)]
    [InlineData(FrameType.DiagnosticReply, 56)]
    [InlineData(FrameType.WorkloadHeartbeat, 50)]
    [InlineData(FrameType.WorkloadCommand, 65)]
    [InlineData(FrameType.WorkloadCommandReply, 65)]
    public void Length_matches_the_spec_table_with_16_more_for_the_tag(FrameType type, int untagged)
    {
        Frame frame = WireSamples.OfType(type);

        Assert.Equal(untagged, WireSamples.Writer(tagged: false).GetLength(type));
        Assert.Equal(untagged + 16, WireSamples.Writer(tagged: true).GetLength(type));
        Assert.Equal(untagged, WireSamples.Writer(tagged: false).Write(frame, new byte[128]));
        Assert.Equal(untagged + 16, WireSamples.Writer(tagged: true).Write(frame, new byte[128]));
    }

    [Fact]
    public void Untagged_heartbeat_is_at_most_48_bytes() =>
        Assert.InRange(WireSamples.Writer(tagged: false).GetLength(FrameType.Heartbeat), FrameReaderOptions.SmallestFrameLength, 48);

    [Fact]
    public void Largest_frame_is_the_tagged_probe_reply() =>
        Assert.Equal(
            FrameReaderOptions.LargestFrameLength,
            WireSamples.Types.Max(t => WireSamples.Writer(tagged: true).GetLength(t)));

    [Theory]
    [MemberData(nameof(WireTheoryData.Shapes), MemberType = typeof(WireTheoryData))]
    public void Destination_one_byte_short_throws_and_is_left_untouched(FrameType type, bool tagged)
    {
        FrameWriter writer = WireSamples.Writer(tagged);
        byte[] destination = new byte[writer.GetLength(type) - 1];

        var thrown = Assert.Throws<ArgumentException>(() => writer.Write(WireSamples.OfType(type), destination));

        Assert.Equal("destination", thrown.ParamName);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(255)]
    public void Undefined_type_throws_ArgumentOutOfRange(byte type)
    {
        FrameWriter writer = WireSamples.Writer(tagged: false);
        Frame frame = WireSamples.OfType(FrameType.Heartbeat) with { Type = (FrameType)type };
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.GetLength((FrameType)type));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(frame, new byte[128]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(frame, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Null_buffer_writer_throws() =>
        Assert.Throws<ArgumentNullException>(() => WireSamples.Writer(tagged: false).Write(WireSamples.OfType(FrameType.Heartbeat), (IBufferWriter<byte>)null!));

    [Theory]
    [MemberData(nameof(WireTheoryData.Shapes), MemberType = typeof(WireTheoryData))]
    public void Header_is_magic_version_type_flags_reserved_and_big_endian_length(FrameType type, bool tagged)
    {
        FrameWriter writer = WireSamples.Writer(tagged);
        int length = writer.GetLength(type);

        byte[] bytes = WireSamples.Encode(WireSamples.OfType(type), writer);

        byte[] expected = [0xFA, 0x11, 0x01, (byte)type, (byte)(tagged ? 1 : 0), 0x00, (byte)((length - 8) >> 8), (byte)(length - 8)];
        Assert.Equal(expected, bytes[..8]);
    }

    [Fact]
    public void Untagged_probe_reply_is_byte_for_byte_the_spec_layout()
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.ProbeReply), tagged: false);

        Assert.Equal(
            "FA11" + "01" + "03" + "00" + "00" + "004A"
            + "01020304" + "05060708" + "090A" + "0B0C0D0E" + "0000000000000007"
            + "1112131415161718" + "2122232425262728"
            + "31323334" + "6162636465666768696A6B6C6D6E6F70" + "7172737475767778797A7B7C7D7E7F80",
            Convert.ToHexString(bytes));
    }

    [Fact]
    public void Untagged_diagnostic_reply_is_byte_for_byte_the_spec_layout()
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.DiagnosticReply), tagged: false);

        Assert.Equal(
            "FA11" + "01" + "05" + "00" + "00" + "0030"
            + "01020304" + "05060708" + "090A" + "0B0C0D0E" + "0000000000000007"
            + "1112131415161718" + "2122232425262728"
            + "4142434445464748" + "51" + "52",
            Convert.ToHexString(bytes));
    }

    [Fact]
    public void Negative_timestamp_is_written_as_big_endian_twos_complement()
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat) with { Timestamp = -2 }, tagged: false);

        Assert.Equal("FFFFFFFFFFFFFFFE", Convert.ToHexString(bytes, 30, 8));
    }

    [Fact]
    public void Bytes_after_the_frame_are_left_untouched()
    {
        FrameWriter writer = WireSamples.Writer(tagged: true);
        byte[] destination = Enumerable.Repeat((byte)0xCC, 128).ToArray();

        int written = writer.Write(WireSamples.OfType(FrameType.Heartbeat), destination);

        Assert.All(destination[written..], b => Assert.Equal(0xCC, b));
    }
}
