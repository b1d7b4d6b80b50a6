using System.Diagnostics;
using Failover.Sdk.Coordination;
using Failover.Sdk.Etcd.Tests.Support;
using Failover.Sdk.Tests.Support;
using Xunit.Abstractions;

namespace Failover.Sdk.Etcd.Tests.Coordination;

/// <summary>
/// Two agents of this process, each in its own host with <c>UseEtcd</c>, campaigning for one
/// workload on a real etcd (lease 4 s, margin 1 s, renewed every second).
/// </summary>
[Collection(RealTime.Name)]
public sealed class CoordinatorOnEtcdTests(EtcdFixture etcd, ITestOutputHelper output) : IClassFixture<EtcdFixture>
{
    private const string Workload = "nightly-report";
    private static readonly TimeSpan OwnerDeadline = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task One_agent_owns_and_a_graceful_stop_hands_over_within_a_second_with_a_larger_token()
    {
        string url = etcd.Server.ClientUrl;
        string prefix = EtcdFixture.NewPrefix();
        var ledger = new TermLedger();
        await using EtcdAgent one = await EtcdAgent.StartAsync(1, url, prefix, Workload, ledger);
        await using EtcdAgent two = await EtcdAgent.StartAsync(2, url, prefix, Workload, ledger);

        await Eventually.TrueAsync(() => ledger.Running is not null, "an agent owns the workload", OwnerDeadline);
        TermLedger.Term first = ledger.Running!;
        (EtcdAgent owner, EtcdAgent other) = first.Node == 1 ? (one, two) : (two, one);
        Assert.NotNull(owner.Coordinator.GetTerm(Workload));
        Assert.Null(other.Coordinator.GetTerm(Workload));

        long stopping = Stopwatch.GetTimestamp();
        await owner.StopAsync();
        await Eventually.TrueAsync(() => ledger.Running?.Node == other.Id, "the other agent owns the workload", TimeSpan.FromSeconds(10));
        TermLedger.Term second = ledger.Running!;

        TimeSpan handover = Stopwatch.GetElapsedTime(stopping, second.StartedAt);
        output.WriteLine($"handover {handover.TotalMilliseconds:F0} ms, token {first.Token} -> {second.Token}");
        Assert.True(handover < TimeSpan.FromSeconds(1), $"handed over {handover.TotalMilliseconds:F0} ms after the stop began");
        Assert.True(second.Token > first.Token, $"token {second.Token} after {first.Token}");
        Assert.NotNull(first.EndedAt);
        Assert.True(first.EndedAt <= second.StartedAt, "the old term ended before the new one began");
        Assert.Equal(1, ledger.MostAtOnce);
    }

    [SkippableFact]
    public async Task Etcd_frozen_past_the_lease_ends_the_owners_term_by_its_deadline_and_after_it_thaws_one_agent_owns_again()
    {
        Skip.IfNot(Signals.Supported, "SIGSTOP/SIGCONT numbers are Linux's");
        await using EtcdServer server = await EtcdFixture.StartOwnServerAsync();
        string prefix = EtcdFixture.NewPrefix();
        var ledger = new TermLedger();
        await using EtcdAgent one = await EtcdAgent.StartAsync(1, server.ClientUrl, prefix, Workload, ledger);
        await using EtcdAgent two = await EtcdAgent.StartAsync(2, server.ClientUrl, prefix, Workload, ledger);
        await Eventually.TrueAsync(() => ledger.Running is not null, "an agent owns the workload", OwnerDeadline);
        TermLedger.Term before = ledger.Running!;

        long paused = Stopwatch.GetTimestamp();
        server.Pause();
        try
        {
            await Eventually.TrueAsync(() => before.EndedAt is not null, "the owner's term ends while etcd is frozen", EtcdAgent.LeaseTimeToLive + TimeSpan.FromSeconds(5));

            // Its last confirmed renewal was sent before the freeze, so its deadline (that send
            // + TTL - margin) falls at most TTL - margin after it; and not before one renewal
            // interval less, or it gave up early.
            TimeSpan endedAfter = Stopwatch.GetElapsedTime(paused, before.EndedAt!.Value);
            TimeSpan validLife = EtcdAgent.LeaseTimeToLive - EtcdAgent.SafetyMargin;
            output.WriteLine($"term ended {endedAfter.TotalMilliseconds:F0} ms into the freeze (valid life {validLife.TotalMilliseconds:F0} ms)");
            Assert.True(endedAfter <= validLife + TimeSpan.FromMilliseconds(500), $"the term ended {endedAfter.TotalMilliseconds:F0} ms into the freeze; its deadline was at most {validLife.TotalMilliseconds:F0} ms away");
            Assert.True(endedAfter >= validLife - EtcdAgent.RenewInterval - EtcdAgent.RequestTimeout, $"the term ended {endedAfter.TotalMilliseconds:F0} ms into the freeze, before its deadline could have come");
            Assert.False(before.ValidAtEnd, "the term claimed to be valid as it ended");
            Assert.Null(ledger.Running);

            // The freeze must outlast the lease itself, so the old ownership is gone once etcd
            // thaws; no event marks that moment, so the rest of the lease is waited out.
            TimeSpan rest = EtcdAgent.LeaseTimeToLive + TimeSpan.FromMilliseconds(500) - Stopwatch.GetElapsedTime(paused);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }
        finally
        {
            server.Resume();
        }

        await Eventually.TrueAsync(() => ledger.Running is not null, "an agent owns the workload again after etcd thaws", OwnerDeadline);
        TermLedger.Term after = ledger.Running!;
        Assert.True(after.Token > before.Token, $"token {after.Token} after {before.Token}");
        await using EtcdCoordinationStore reader = EtcdCoordinationStoreTests.NewStore(server.ClientUrl, prefix);
        OwnershipRecord? recorded = (await reader.GetOwnerAsync(Workload)).Owner;
        Assert.Equal(after.Node, recorded?.NodeId);
        Assert.Equal(after.Token, recorded?.FencingToken);
        Assert.Single(new[] { one, two }, a => a.Coordinator.GetTerm(Workload) is not null);
        Assert.Equal(1, ledger.MostAtOnce);
    }
}
