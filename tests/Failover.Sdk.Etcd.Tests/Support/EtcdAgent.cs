using System.Diagnostics;
using Failover.Sdk.Coordination;
using Failover.Sdk.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Sdk.Etcd.Tests.Support;

/// <summary>
/// A Failover.Sdk agent in this process, as an application would run it
/// (<c>AddFailover(...).UseEtcd(...)</c> in a host), campaigning for one workload and
/// recording its terms in a <see cref="TermLedger"/> shared with the other agents of a test.
/// </summary>
internal sealed class EtcdAgent : IAsyncDisposable
{
    public static readonly TimeSpan LeaseTimeToLive = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RenewInterval = (LeaseTimeToLive - SafetyMargin) / 3;
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _campaignStop = new();
    private bool _stopped;

    private EtcdAgent(uint id, IHost host)
    {
        Id = id;
        Host = host;
        Coordinator = host.Services.GetRequiredService<FailoverCoordinator>();
    }

    public uint Id { get; }

    public IHost Host { get; }

    public FailoverCoordinator Coordinator { get; }

    private Task Campaign { get; set; } = Task.CompletedTask;

    public static async Task<EtcdAgent> StartAsync(uint id, string etcdUrl, string keyPrefix, string workloadId, TermLedger ledger)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFailover(o =>
            {
                o.NodeId = id;
                o.Coordination.LeaseTimeToLive = LeaseTimeToLive;
                o.Coordination.LeaseSafetyMargin = SafetyMargin;
                o.Coordination.RequestTimeout = RequestTimeout;
            })
            .UseEtcd(o =>
            {
                o.Endpoints = etcdUrl;
                o.KeyPrefix = keyPrefix;
                o.RequestTimeout = RequestTimeout;
            });
        var agent = new EtcdAgent(id, builder.Build());
        await agent.Host.StartAsync();
        agent.Campaign = agent.Coordinator.RunAsOwnerAsync(workloadId, term => ledger.HoldAsync(id, term), agent._campaignStop.Token);
        return agent;
    }

    /// <summary>Stops the host as an application shutting down would: terms end, the lease is revoked.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var deadline = new CancellationTokenSource(StopDeadline);
        await Host.StopAsync(deadline.Token);
        await Campaign.WaitAsync(StopDeadline);
    }

    public async ValueTask DisposeAsync()
    {
        await _campaignStop.CancelAsync();
        try
        {
            await StopAsync();
        }
        finally
        {
            Host.Dispose();
            _campaignStop.Dispose();
        }
    }
}

/// <summary>Every term of one workload across the agents of a test: who, which token, from when to when.</summary>
internal sealed class TermLedger
{
    private readonly List<Term> _terms = [];
    private int _active;

    /// <summary>The most terms that were running at one instant.</summary>
    public int MostAtOnce { get; private set; }

    public IReadOnlyList<Term> Terms
    {
        get
        {
            lock (_terms)
            {
                return [.. _terms];
            }
        }
    }

    public Term? Running
    {
        get
        {
            lock (_terms)
            {
                return _terms.LastOrDefault(t => t.EndedAt is null);
            }
        }
    }

    /// <summary>The workload: holds the term until it ends, recording when it did and whether the term still claimed to be valid then.</summary>
    public async Task HoldAsync(uint node, OwnershipTerm term)
    {
        var entry = new Term(node, term.FencingToken, Stopwatch.GetTimestamp());
        lock (_terms)
        {
            _terms.Add(entry);
            _active++;
            MostAtOnce = Math.Max(MostAtOnce, _active);
        }

        using (term.Ended.UnsafeRegister(_ => End(entry, term.IsValid), null))
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, term.Ended).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void End(Term entry, bool stillValid)
    {
        lock (_terms)
        {
            entry.EndedAt = Stopwatch.GetTimestamp();
            entry.ValidAtEnd = stillValid;
            _active--;
        }
    }

    internal sealed class Term(uint node, long token, long startedAt)
    {
        public uint Node { get; } = node;

        public long Token { get; } = token;

        public long StartedAt { get; } = startedAt;

        public long? EndedAt { get; set; }

        public bool ValidAtEnd { get; set; }
    }
}
