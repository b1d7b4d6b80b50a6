using System.Buffers.Binary;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// Pre-encoded heartbeats with sequence numbers 1..<see cref="Count"/>, handed out in a
/// cycle, so that a reader with replay protection on accepts every one of them.
/// </summary>
/// <remarks>
/// When the cycle wraps, every frame's incarnation is bumped in place: the first frame of
/// a newer incarnation restarts the replay window (docs/wire-protocol.md), so sequence 1
/// is fresh again. That rewrite costs about one 4-byte store per frame handed out.
/// </remarks>
internal sealed class HeartbeatRing
{
    public const int Count = 1024;

    private readonly byte[] _bytes;
    private readonly int _frameLength;
    private uint _incarnation = 1;
    private int _next;

    public HeartbeatRing(FrameWriter writer)
    {
        if (writer.Authenticates)
        {
            throw new ArgumentException("The ring rewrites frames in place, which would invalidate their tags.", nameof(writer));
        }

        _frameLength = writer.GetLength(FrameType.Heartbeat);
        _bytes = new byte[Count * _frameLength];
        for (int i = 0; i < Count; i++)
        {
            writer.Write(SampleHeartbeat.Frame(sequence: (ulong)i + 1, incarnation: _incarnation), _bytes.AsSpan(i * _frameLength));
        }
    }

    public ReadOnlySpan<byte> Next()
    {
        if (_next == Count)
        {
            BumpIncarnation();
            _next = 0;
        }

        return _bytes.AsSpan(_next++ * _frameLength, _frameLength);
    }

    private void BumpIncarnation()
    {
        _incarnation++;
        for (int offset = 0; offset < _bytes.Length; offset += _frameLength)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_bytes.AsSpan(offset + FrameLayout.OffsetIncarnation), _incarnation);
        }
    }
}
