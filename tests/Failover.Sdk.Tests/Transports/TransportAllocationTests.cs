using System.Net;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Transports;

/// <summary>
/// The heartbeat path allocates nothing in steady state (BY-6). Measured per thread, so
/// tests running in parallel do not disturb the numbers.
/// </summary>
public class TransportAllocationTests
{
    private const int Warmup = 200;
    private const int Measured = 1000;

    [Fact]
    public async Task InMemory_send_and_delivery_allocate_nothing_per_frame()
    {
        var network = new InMemoryNetwork();
        var time = new FakeTimeProvider();
        await using var a = new InMemoryTransport(network, TestFrames.Settings(1, 1, time, authenticated: true));
        await using var b = new InMemoryTransport(network, TestFrames.Settings(2, 1, time, authenticated: true));
        using var handler = new AllocationProbe(Warmup + Measured);
        await b.StartAsync(handler, CancellationToken.None);
        for (ulong i = 1; i <= Warmup; i++)
        {
            await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, i));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong i = Warmup + 1; i <= Warmup + Measured; i++)
        {
            await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, i));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(Warmup + Measured, b.Counters.Received);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task Udp_send_and_receive_loop_allocate_nothing_per_datagram()
    {
        await using var a = new UdpTransport(TestFrames.Settings(1, 1), new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = new UdpTransport(TestFrames.Settings(2, 1), new IPEndPoint(IPAddress.Loopback, 0));
        using var probe = new AllocationProbe(Warmup + Measured);
        await b.StartAsync(probe, CancellationToken.None);
        a.SetPeer(2, b.LocalEndPoint);

        // Sent in batches, each waited for, so the receive socket buffer never overflows and drops one.
        ulong sequence = 0;
        long sendAllocated = 0;
        for (int batch = 0; batch < (Warmup + Measured) / 100; batch++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                Assert.True(await a.SendAsync(TestFrames.Heartbeat(1, 2, 1, ++sequence)));
            }

            if (batch >= Warmup / 100)
            {
                sendAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            await probe.WaitForAsync((batch + 1) * 100);
        }

        Assert.Equal(0, sendAllocated);

        // The receive thread's own counter, read by the handler at each frame: the loop between two frames allocated nothing.
        Assert.Equal(0, probe.AllocatedBetween(Warmup, Warmup + Measured - 1));
    }

    /// <summary>
    /// A handler that records the receiving thread's allocation counter when each frame
    /// arrives and when its own work (the wake-up of the waiting test) is done, so the
    /// transport's share between two frames can be told apart from the handler's.
    /// </summary>
    private sealed class AllocationProbe(int capacity) : IFrameHandler, IDisposable
    {
        private readonly long[] _arrivedAt = new long[capacity];
        private readonly long[] _leftAt = new long[capacity];
        private readonly SemaphoreSlim _arrived = new(0);
        private int _count;

        public void OnFrame(in Frame frame, in FrameReceipt receipt)
        {
            int index = _count;
            bool recorded = index < _arrivedAt.Length;
            if (recorded)
            {
                _arrivedAt[index] = GC.GetAllocatedBytesForCurrentThread();
            }

            Volatile.Write(ref _count, index + 1);
            _arrived.Release();
            if (recorded)
            {
                _leftAt[index] = GC.GetAllocatedBytesForCurrentThread();
            }
        }

        public void Dispose() => _arrived.Dispose();

        /// <summary>Bytes the transport allocated on the receiving thread outside the handler, from frame <paramref name="from"/> to <paramref name="to"/>.</summary>
        public long AllocatedBetween(int from, int to)
        {
            long total = 0;
            for (int i = from; i < to; i++)
            {
                total += _arrivedAt[i + 1] - _leftAt[i];
            }

            return total;
        }

        public async Task WaitForAsync(int count)
        {
            // Bounded: one wait per frame still missing, each with the deadline.
            while (Volatile.Read(ref _count) < count)
            {
                Assert.True(await _arrived.WaitAsync(RecordingHandler.Deadline));
            }
        }
    }
}
