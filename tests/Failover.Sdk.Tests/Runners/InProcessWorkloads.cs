using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Failover.Sdk.Configuration;
using Failover.Sdk.Runners;
using Failover.Sdk.Workloads;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Runners;

/// <summary>Descriptors and launches for the in-process runner tests.</summary>
internal static class InProcessWorkloads
{
    public const uint NodeId = 7;
    public const long FencingToken = 42;

    /// <summary>How long a real-thread wait may take before the test fails; never a sleep.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>The grace period the stop tests give, on the fake clock.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("in-process runner test secret");

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public static WorkloadDescriptor TaskWorkload(string id, Func<WorkloadContext, CancellationToken, Task>? body) =>
        new(new FailoverWorkloadOptions { Id = id, Kind = WorkloadKind.Task }, Secret) { TaskBody = body };

    public static WorkloadDescriptor ThreadWorkload(string id, Action<WorkloadContext, CancellationToken>? body) =>
        new(new FailoverWorkloadOptions { Id = id, Kind = WorkloadKind.Thread }, Secret) { ThreadBody = body };

    public static WorkloadDescriptor HostedWorkload(string id, Func<IServiceProvider, WorkloadContext, IHostedService>? factory) =>
        new(new FailoverWorkloadOptions { Id = id, Kind = WorkloadKind.HostedService }, Secret) { HostedServiceFactory = factory };

    public static WorkloadLaunch Launch(WorkloadDescriptor workload, IWorkloadSignals signals) => new(workload, NodeId, FencingToken, signals);

    /// <summary>
    /// The predefined response worked out here from FS-4's definition, not through the SDK:
    /// the first 16 bytes of HMAC-SHA256(secret, FNV-1a(id) ‖ key), big-endian.
    /// </summary>
    public static UInt128 ExpectedResponse(string workloadId, UInt128 key)
    {
        uint wireId = 2166136261;
        foreach (byte b in Encoding.ASCII.GetBytes(workloadId))
        {
            wireId = (wireId ^ b) * 16777619;
        }

        byte[] message = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(message, wireId);
        BinaryPrimitives.WriteUInt128BigEndian(message.AsSpan(4), key);
        return BinaryPrimitives.ReadUInt128BigEndian(HMACSHA256.HashData(Secret, message));
    }

    /// <summary>Probes with fresh keys and checks each answer arrived at once and is right.</summary>
    public static void AssertProbesAnswered(IWorkloadInstance instance, RecordingSignals signals)
    {
        foreach (UInt128 key in new[] { new UInt128(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210), UInt128.One, UInt128.MaxValue })
        {
            int before = signals.Answers.Count;
            instance.Probe(key);
            Assert.Equal(before + 1, signals.Answers.Count);
            (UInt128 answeredKey, UInt128 response) = signals.Answers.Last();
            Assert.Equal(key, answeredKey);
            Assert.Equal(ExpectedResponse(instance.WorkloadId, key), response);
        }
    }

    /// <summary>Probes and checks nothing was answered.</summary>
    public static void AssertProbeUnanswered(IWorkloadInstance instance, RecordingSignals signals)
    {
        int before = signals.Answers.Count;
        instance.Probe(new UInt128(99, 99));
        Assert.Equal(before, signals.Answers.Count);
    }

    /// <summary>Advances the fake clock to just short of the grace period, checks the stop still waits, then past it.</summary>
    public static async Task<WorkloadExit> AdvancePastGraceAsync(FakeTimeProvider time, Task<WorkloadExit> stopping)
    {
        time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        Assert.False(stopping.IsCompleted, "the stop ended before its grace period was over");
        time.Advance(TimeSpan.FromMilliseconds(1));
        return await stopping.WaitAsync(Deadline);
    }
}
