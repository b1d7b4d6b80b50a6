using Failover.Sdk.Configuration;
using Failover.Sdk.Liveness;

namespace Failover.Sdk.Tests.Liveness;

public class FailureDetectorAllocationTests
{
    private const long Interval = 1_000;

    [Theory]
    [InlineData(FailoverDetectorKind.Fixed)]
    [InlineData(FailoverDetectorKind.PhiAccrual)]
    public void Heartbeat_and_queries_allocate_nothing(FailoverDetectorKind kind)
    {
        var settings = new FailureDetectorSettings(kind, Interval, 3 * Interval, 8, Interval / 10, 0, RiseCount: 2);
        IFailureDetector detector = settings.Create(start: 0);
        var peer = new PeerLiveness(2, [1, 2], settings, start: 0);
        var changes = new Queue<LivenessChange>();
        long now = 0;
        int pathChanges = 0;
        int suspected = Run(detector, peer, changes, ref now, ref pathChanges); // warm up: JIT, tiering and the queue's growth happen here
        long before = GC.GetAllocatedBytesForCurrentThread();

        suspected += Run(detector, peer, changes, ref now, ref pathChanges);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(suspected > 0, "the trains include late heartbeats, so some query must see suspicion");
        Assert.True(pathChanges > 0, "the late heartbeats must make paths suspected and up again, so path changes are queued");
    }

    private static int Run(IFailureDetector detector, PeerLiveness peer, Queue<LivenessChange> changes, ref long now, ref int pathChanges)
    {
        int suspected = 0;
        for (int i = 0; i < 10_000; i++)
        {
            // Mostly on time, every 50th heartbeat late: both the learning and the rising paths run.
            now += i % 50 == 0 ? 10 * Interval : Interval + (i % 7 * 10);
            suspected += detector.IsSuspected(now) ? 1 : 0;
            detector.Heartbeat(now);
            suspected += detector.IsSuspected(now) ? 1 : 0;
            _ = detector.Deadline;
            peer.OnHeartbeat((ushort)(1 + (i % 2)), 1, now, changes);
            peer.Evaluate(now, changes);
            _ = peer.NextDeadline;
            while (changes.TryDequeue(out LivenessChange change))
            {
                pathChanges += change.IsPath ? 1 : 0;
            }
        }

        return suspected;
    }
}
