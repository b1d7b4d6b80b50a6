using System.Security.Cryptography;
using Failover.Sdk.Wire;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Wire;

/// <summary>The authentication tag (BY-3) and the receiver table of <c>docs/wire-protocol.md</c>.</summary>
[Properties(Arbitrary = [typeof(WireArbitraries)])]
public class FrameAuthenticationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    public void Key_shorter_than_16_bytes_throws(int length)
    {
        var thrown = Assert.Throws<ArgumentException>(() => new FrameAuthenticator(new byte[length]));

        Assert.Equal("key", thrown.ParamName);
    }

    [Fact]
    public void Key_of_16_bytes_is_accepted() => Assert.NotNull(new FrameAuthenticator(new byte[16]));

    [Theory]
    [MemberData(nameof(WireTheoryData.Types), MemberType = typeof(WireTheoryData))]
    public void Tag_is_truncated_HMAC_SHA256_over_everything_before_it(FrameType type)
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(type), tagged: true);

        byte[] mac = HMACSHA256.HashData(WireSamples.KeyA, bytes.AsSpan(..^16));

        Assert.Equal(1, bytes[4]);
        Assert.Equal(mac[..16], bytes[^16..]);
    }

    [Fact]
    public void Key_is_copied_so_later_changes_to_the_callers_array_do_not_matter()
    {
        byte[] key = [.. WireSamples.KeyA];
        var authenticator = new FrameAuthenticator(key);
        key.AsSpan().Clear();
        Frame frame = WireSamples.OfType(FrameType.Heartbeat);

        Assert.Equal(WireSamples.Encode(frame, tagged: true), WireSamples.Encode(frame, new FrameWriter(authenticator)));
    }

    [Fact]
    public void Tag_written_with_another_key_is_BadTag()
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Probe), new FrameWriter(new FrameAuthenticator(WireSamples.KeyB)));

        FrameReadResult result = WireSamples.ReaderWithKey().Read(bytes, out Frame frame);

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.BadTag, bytes.Length), result);
        Assert.Equal(default, frame);
    }

    [Fact]
    public void Untagged_frame_is_MissingTag_when_tags_are_required()
    {
        byte[] bytes = WireSamples.Encode(WireSamples.OfType(FrameType.Heartbeat), tagged: false);
        var reader = new FrameReader(new FrameReaderOptions { Authenticator = new FrameAuthenticator(WireSamples.KeyA), RequireAuthentication = true });

        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.MissingTag, bytes.Length), reader.Read(bytes, out _));
    }

    [Fact]
    public void Untagged_frame_is_accepted_unauthenticated_by_a_keyed_reader_not_requiring_tags()
    {
        Frame frame = WireSamples.OfType(FrameType.Heartbeat);
        byte[] bytes = WireSamples.Encode(frame, tagged: false);

        Assert.Equal(FrameReadResult.Accept(bytes.Length, authenticated: false), WireSamples.ReaderWithKey().Read(bytes, out Frame read));
        Assert.Equal(frame, read);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tagged_frame_is_accepted_unauthenticated_by_a_reader_without_a_key(bool requireAuthentication)
    {
        Frame frame = WireSamples.OfType(FrameType.ProbeReply);
        byte[] bytes = WireSamples.Encode(frame, new FrameWriter(new FrameAuthenticator(WireSamples.KeyB)));
        var reader = new FrameReader(new FrameReaderOptions { RequireAuthentication = requireAuthentication });

        Assert.Equal(FrameReadResult.Accept(bytes.Length, authenticated: false), reader.Read(bytes, out Frame read));
        Assert.Equal(frame, read);
    }

    [Property(MaxTest = 300)]
    public void Any_single_flipped_bit_in_a_tagged_frame_is_rejected(Frame frame)
    {
        byte[] original = WireSamples.Encode(frame, tagged: true);
        var key = new FrameAuthenticator(WireSamples.KeyA);

        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            byte[] bytes = [.. original];
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));

            // No replay window: it must be the tag alone that stops a changed frame.
            var reader = new FrameReader(new FrameReaderOptions { Authenticator = key, ReplayWindowCapacity = 0 });
            FrameReadResult result = reader.Read(bytes, out Frame read);

            Assert.Equal(FrameReadStatus.Rejected, result.Status);
            Assert.Equal(default, read);
            if (bit / 8 >= 8)
            {
                Assert.Equal(FrameReadResult.Reject(FrameRejectReason.BadTag, bytes.Length), result);
            }
        }
    }
}
