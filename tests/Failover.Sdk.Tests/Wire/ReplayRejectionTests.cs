using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Wire;

/// <summary>The reader applies replay protection (BY-3) after the tag, for the reasons the spec names.</summary>
public class ReplayRejectionTests
{
    private readonly FrameReader _reader = WireSamples.ReaderWithKey();

    [Fact]
    public void Same_datagram_twice_is_Replayed()
    {
        byte[] bytes = Encode(WireSamples.OfType(FrameType.Heartbeat));

        Assert.Equal(FrameReadStatus.Frame, _reader.Read(bytes, out _).Status);
        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Replayed, bytes.Length), _reader.Read(bytes, out Frame frame));
        Assert.Equal(default, frame);
    }

    [Fact]
    public void Older_incarnation_after_a_newer_one_is_Stale()
    {
        Frame newer = WireSamples.OfType(FrameType.Heartbeat, sequence: 1) with { Incarnation = 9 };
        Frame older = newer with { Incarnation = 8, Sequence = 500 };

        Assert.Equal(FrameReadStatus.Frame, Read(newer).Status);
        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Stale, Encode(older).Length), Read(older));
    }

    [Fact]
    public void Newer_incarnation_restarts_the_window_even_at_a_lower_sequence()
    {
        Frame before = WireSamples.OfType(FrameType.Heartbeat, sequence: 1000) with { Incarnation = 3 };
        Frame restarted = before with { Incarnation = 4, Sequence = 0 };

        Assert.Equal(FrameReadStatus.Frame, Read(before).Status);
        Assert.Equal(FrameReadStatus.Frame, Read(restarted).Status);
        Assert.Equal(FrameRejectReason.Replayed, Read(restarted).Reason);
    }

    [Theory]
    [InlineData(36, FrameRejectReason.Stale)]
    [InlineData(37, FrameRejectReason.None)]
    [InlineData(1, FrameRejectReason.Stale)]
    public void Sequence_64_or_more_behind_the_newest_is_Stale(ulong sequence, FrameRejectReason expected)
    {
        // Newest 100: the window holds 100 and the 63 before it, down to 37.
        Assert.Equal(FrameReadStatus.Frame, Read(WireSamples.OfType(FrameType.Heartbeat, sequence: 100)).Status);

        Assert.Equal(expected, Read(WireSamples.OfType(FrameType.Heartbeat, sequence: sequence)).Reason);
    }

    [Fact]
    public void Third_sender_beyond_a_capacity_of_two_is_TooManySenders()
    {
        var reader = new FrameReader(new FrameReaderOptions { ReplayWindowCapacity = 2 });
        byte[] first = Encode(WireSamples.OfType(FrameType.Heartbeat, sequence: 1, sender: 1));
        byte[] second = Encode(WireSamples.OfType(FrameType.Heartbeat, sequence: 1, sender: 2));
        byte[] third = Encode(WireSamples.OfType(FrameType.Heartbeat, sequence: 1, sender: 3));
        byte[] firstAgain = Encode(WireSamples.OfType(FrameType.Heartbeat, sequence: 2, sender: 1));

        Assert.Equal(FrameReadStatus.Frame, reader.Read(first, out _).Status);
        Assert.Equal(FrameReadStatus.Frame, reader.Read(second, out _).Status);
        Assert.Equal(FrameReadResult.Reject(FrameRejectReason.TooManySenders, third.Length), reader.Read(third, out _));
        Assert.Equal(FrameReadStatus.Frame, reader.Read(firstAgain, out _).Status);
    }

    [Fact]
    public void Window_is_per_path()
    {
        Frame onPathA = WireSamples.OfType(FrameType.Heartbeat) with { PathId = 1 };

        Assert.Equal(FrameReadStatus.Frame, Read(onPathA).Status);
        Assert.Equal(FrameReadStatus.Frame, Read(onPathA with { PathId = 2 }).Status);
    }

    [Fact]
    public void Zero_capacity_turns_replay_protection_off()
    {
        var reader = new FrameReader(new FrameReaderOptions { ReplayWindowCapacity = 0 });
        byte[] bytes = Encode(WireSamples.OfType(FrameType.Heartbeat));

        Assert.Equal(FrameReadStatus.Frame, reader.Read(bytes, out _).Status);
        Assert.Equal(FrameReadStatus.Frame, reader.Read(bytes, out _).Status);
    }

    private static byte[] Encode(Frame frame) => WireSamples.Encode(frame, tagged: true);

    private FrameReadResult Read(Frame frame) => _reader.Read(Encode(frame), out _);

    [Fact]
    public void Untagged_frames_during_a_key_rollout_cannot_lock_out_the_tagged_sender()
    {
        FrameReader reader = WireSamples.ReaderWithKey();
        Frame forged = WireSamples.OfType(FrameType.Heartbeat, sequence: ulong.MaxValue) with { Incarnation = uint.MaxValue };

        // Accepted (the key is not required yet) but only as unauthenticated...
        FrameReadResult untagged = reader.Read(WireSamples.Encode(forged, tagged: false), out _);
        Assert.Equal((FrameReadStatus.Frame, false), (untagged.Status, untagged.IsAuthenticated));

        // ...and it did not move the window: the genuine sender's tagged frames still pass.
        Frame genuine = WireSamples.OfType(FrameType.Heartbeat, sequence: 8);
        FrameReadResult tagged = reader.Read(WireSamples.Encode(genuine, tagged: true), out _);
        Assert.Equal((FrameReadStatus.Frame, true), (tagged.Status, tagged.IsAuthenticated));

        // An untagged replay of a frame the window holds is still refused.
        Assert.Equal(FrameRejectReason.Replayed, reader.Read(WireSamples.Encode(genuine, tagged: false), out _).Reason);
    }
}
