using BenchmarkDotNet.Attributes;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd;

namespace Failover.Sdk.Benchmarks;

/// <summary>
/// What the coordination store costs the agent, the in-process store beside a local etcd
/// (one member on loopback, data on the local disk) in one run:
/// <list type="bullet">
/// <item><see cref="OwnershipChange"/>: one handover of a workload, the holder's release and
/// the acquisition by another lease (two transactions on etcd).</item>
/// <item><see cref="LeaseRenewal"/>: one keep-alive round trip; renewals per second are one over it.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes.
public class CoordinationBenchmarks
#pragma warning restore CA1001
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(30);

    private EtcdProcess? _etcd;
    private ICoordinationStore _store = null!;
    private CoordinationLease[] _leases = null!;
    private OwnershipRecord _owner = null!;
    private int _next;

    [Params("InMemory", "Etcd")]
    public string Store { get; set; } = "InMemory";

    [GlobalSetup]
    public void Setup()
    {
        if (Store == "Etcd")
        {
            _etcd = EtcdProcess.Start();
            _store = new EtcdCoordinationStore(new EtcdCoordinationOptions { Endpoints = _etcd.ClientUrl, KeyPrefix = "bench/" });
        }
        else
        {
            _store = new InMemoryCoordinationStore(TimeProvider.System);
        }

        // Leases that outlive the run, so nothing expires under the measurement.
        _leases = [Run(_store.GrantLeaseAsync(LongLease)), Run(_store.GrantLeaseAsync(LongLease))];
        _owner = Run(_store.TryAcquireAsync("bench", 1, _leases[0].Id)).Owner!;
        _next = 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        switch (_store)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        _etcd?.Dispose();
    }

    [Benchmark]
    public async Task<long> OwnershipChange()
    {
        if (!await _store.ReleaseAsync(_owner))
        {
            throw new InvalidOperationException("The release found another owner.");
        }

        int next = _next;
        OwnershipClaim claim = await _store.TryAcquireAsync("bench", (uint)(next + 1), _leases[next].Id);
        _owner = claim.Owner ?? throw new InvalidOperationException("The acquisition found no owner.");
        _next = 1 - next;
        return _owner.FencingToken;
    }

    [Benchmark]
    public async Task<bool> LeaseRenewal() => await _store.KeepAliveAsync(_leases[0].Id);

    private static T Run<T>(ValueTask<T> pending) => pending.AsTask().GetAwaiter().GetResult();
}
