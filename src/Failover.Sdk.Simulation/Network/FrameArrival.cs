using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation.Network;

/// <summary>A frame in flight: the event of its arrival, pooled because a run carries millions.</summary>
internal sealed class FrameArrival : VirtualEvent
{
    private readonly SimulatedNetwork _network;

    public FrameArrival(SimulatedNetwork network)
    {
        _network = network;
    }

    public uint From { get; set; }

    public uint To { get; set; }

    public ushort Path { get; set; }

    /// <summary>When it was sent, in true virtual ticks.</summary>
    public long SentAt { get; set; }

    public bool Duplicate { get; set; }

    public byte[] Buffer { get; private set; } = new byte[128];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    public void SetBytes(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > Buffer.Length)
        {
            Buffer = new byte[frame.Length];
        }

        frame.CopyTo(Buffer);
        Length = frame.Length;
    }

    public override void Fire() => _network.Arrive(this);
}
