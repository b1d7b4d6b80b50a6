using System.Buffers;
using Failover.Sdk.Wire;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Wire;

/// <summary>
/// Whatever bytes arrive, the reader answers with a frame, a rejection or (streams only)
/// "need more data": it never throws and never claims more bytes than it was given.
/// </summary>
[Properties(Arbitrary = [typeof(WireArbitraries)])]
public class FrameReaderTotalityTests
{
    private static readonly int[] FrameLengths = [.. WireSamples.Types.SelectMany(t => new[] { WireSamples.Writer(false).GetLength(t), WireSamples.Writer(true).GetLength(t) })];

    [Property(MaxTest = 5000)]
    public void Datagram_read_of_any_bytes_is_a_frame_or_a_rejection(HostileInput input)
    {
        foreach (FrameReader reader in Readers())
        {
            FrameReadResult result = reader.Read(input.Bytes, out Frame frame);

            Assert.InRange(result.BytesConsumed, 0, input.Bytes.Length);
            if (result.Status == FrameReadStatus.Frame)
            {
                Assert.Equal(FrameRejectReason.None, result.Reason);
                Assert.Equal(input.Bytes.Length, result.BytesConsumed);
                Assert.NotEqual(0u, frame.Sender);
            }
            else
            {
                Assert.Equal(FrameReadStatus.Rejected, result.Status);
                Assert.NotEqual(FrameRejectReason.None, result.Reason);
                Assert.Equal(default, frame);
            }
        }
    }

    [Property(MaxTest = 5000)]
    public void Stream_read_of_any_bytes_is_a_frame_a_rejection_or_need_more_data(HostileInput input, byte split)
    {
        byte[] bytes = input.Bytes;
        ReadOnlySequence<byte>[] shapes =
        [
            new(bytes),
            SequenceSegment.Split(bytes, split % (bytes.Length + 1)),
            SequenceSegment.Chunks(bytes, 1),
        ];

        foreach (FrameReader reader in Readers())
        {
            FrameReadResult? previous = null;
            foreach (ReadOnlySequence<byte> buffer in shapes)
            {
                FrameReadResult result = reader.Read(buffer, out Frame frame);

                Assert.InRange(result.BytesConsumed, 0, bytes.Length);
                switch (result.Status)
                {
                    case FrameReadStatus.Frame:
                        Assert.Contains(result.BytesConsumed, FrameLengths);
                        Assert.NotEqual(0u, frame.Sender);
                        break;
                    case FrameReadStatus.NeedMoreData:
                        Assert.Equal(default, frame);
                        Assert.Equal(0, result.BytesConsumed);
                        Assert.True(bytes.Length < FrameReaderOptions.LargestFrameLength);
                        break;
                    default:
                        Assert.Equal(default, frame);
                        Assert.Equal(FrameReadStatus.Rejected, result.Status);
                        Assert.NotEqual(FrameRejectReason.None, result.Reason);
                        break;
                }

                // The same bytes cut differently are the same stream: only the replay window
                // may change the answer, and only from an accepted frame to its replay.
                if (previous is { Status: FrameReadStatus.Frame } accepted)
                {
                    Assert.True(
                        result == accepted || result == FrameReadResult.Reject(FrameRejectReason.Replayed, accepted.BytesConsumed),
                        $"{accepted} then {result}");
                }
                else if (previous is { } before)
                {
                    Assert.Equal(before, result);
                }

                previous = result;
            }
        }
    }

    [Property(MaxTest = 5000)]
    public void Datagram_and_stream_readers_agree_on_the_same_bytes(HostileInput input)
    {
        FrameReadResult stream = WireSamples.ReaderWithKey().Read(new ReadOnlySequence<byte>(input.Bytes), out Frame fromStream);
        FrameReadResult datagram = WireSamples.ReaderWithKey().Read(input.Bytes, out Frame fromDatagram);

        if (stream.Status == FrameReadStatus.NeedMoreData)
        {
            Assert.Equal(FrameReadResult.Reject(FrameRejectReason.Truncated), datagram);
        }
        else if (stream.BytesConsumed == 0)
        {
            // Framing lost on the header: the datagram is rejected for the same reason.
            Assert.Equal(stream, datagram);
        }
        else if (stream.BytesConsumed < input.Bytes.Length)
        {
            Assert.Equal(FrameReadResult.Reject(FrameRejectReason.TrailingBytes), datagram);
        }
        else
        {
            Assert.Equal(stream, datagram);
            Assert.Equal(fromStream, fromDatagram);
        }
    }

    private static FrameReader[] Readers() =>
    [
        new(),
        WireSamples.ReaderWithKey(),
        new(new FrameReaderOptions { Authenticator = new FrameAuthenticator(WireSamples.KeyA), RequireAuthentication = true, ReplayWindowCapacity = 2 }),
        new(new FrameReaderOptions { MaxFrameLength = 60, ReplayWindowCapacity = 0 }),
    ];
}
