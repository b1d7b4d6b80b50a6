using Failover.Sdk.Simulation.Faults;
using Failover.Sdk.Simulation.Time;

namespace Failover.Sdk.Simulation.Journal;

/// <summary>Stamps what the run's parts report with the virtual time since the start, and journals it.</summary>
internal sealed class SimulationRecorder
{
    private readonly VirtualTimeProvider _time;
    private readonly long _start;
    private readonly bool _recordFrames;

    public SimulationRecorder(VirtualTimeProvider time, bool recordFrames)
    {
        _time = time;
        _start = time.GetTimestamp();
        _recordFrames = recordFrames;
    }

    public SimulationJournal Journal { get; } = new();

    /// <summary>Frames sent, lost and delivered; counted even when not journaled.</summary>
    public long FramesSent { get; private set; }

    public long FramesLost { get; private set; }

    public long FramesDelivered { get; private set; }

    public TimeSpan Now => TimeSpan.FromTicks(_time.GetTimestamp() - _start);

    public void FrameSent(uint from, uint to, ushort path)
    {
        FramesSent++;
        if (_recordFrames)
        {
            Journal.Add(new FrameSent(Now, from, to, path));
        }
    }

    public void FrameLost(uint from, uint to, ushort path, FrameLossReason reason)
    {
        FramesLost++;
        if (_recordFrames)
        {
            Journal.Add(new FrameLost(Now, from, to, path, reason));
        }
    }

    public void FrameDelivered(uint from, uint to, ushort path, long sentAt, bool duplicate)
    {
        FramesDelivered++;
        if (_recordFrames)
        {
            Journal.Add(new FrameDelivered(Now, from, to, path, TimeSpan.FromTicks(_time.GetTimestamp() - sentAt), duplicate));
        }
    }

    public void FaultInjected(Fault fault) => Journal.Add(new FaultInjected(Now, fault));

    public void FaultHealed(Fault fault) => Journal.Add(new FaultHealed(Now, fault));

    public void Add(Func<TimeSpan, JournalEntry> entry) => Journal.Add(entry(Now));
}
