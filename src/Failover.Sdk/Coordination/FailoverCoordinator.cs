using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Sdk.Coordination;

/// <summary>
/// This agent's place in the coordination store (BY-1): it holds the agent's lease, keeps the
/// agent listed as a cluster member under it, and runs workloads that must live on exactly one
/// node at a time (<see cref="RunAsOwnerAsync"/>). Registered by <c>AddFailover()</c> and
/// started by the host.
/// </summary>
/// <remarks>
/// A term of ownership ends, and the code run for it is cancelled, as soon as any of these
/// holds: the lease's safe life runs out by this node's own clock (see
/// <see cref="FailoverCoordinationOptions.LeaseSafetyMargin"/>), the store says the lease or the
/// ownership is gone, or the agent stops. The guarantees and their limits are in docs/fencing.md.
/// </remarks>
public sealed class FailoverCoordinator : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);

    private readonly ICoordinationStore _store;
    private readonly FailoverAgent _agent;
    private readonly FailoverCoordinationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FailoverMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OwnershipTerm> _terms = new(StringComparer.Ordinal);
    private readonly Dictionary<OwnershipTerm, Task> _termsRunning = [];
    private readonly HashSet<string> _campaigns = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource<LeaseSession> _session = NewSessionSource();
    private Task _running = Task.CompletedTask;
    private int _disposed;

    /// <summary>Creates the coordinator of <paramref name="agent"/>; <c>AddFailover()</c> does this.</summary>
    public FailoverCoordinator(ICoordinationStore store, FailoverAgent agent, IOptions<FailoverOptions> options, TimeProvider time, ILogger<FailoverCoordinator> logger)
        : this(store, agent, options, time, logger, FailoverMetrics.Disabled)
    {
    }

    internal FailoverCoordinator(ICoordinationStore store, FailoverAgent agent, IOptions<FailoverOptions> options, TimeProvider time, ILogger logger, FailoverMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _agent = agent;
        _options = options.Value.Coordination;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>This node.</summary>
    public uint NodeId => _agent.NodeId;

    /// <summary>The store the coordinator uses.</summary>
    public ICoordinationStore Store => _store;

    /// <summary>The agent's lease while it holds a valid one, else null.</summary>
    public long? LeaseId => CurrentSession() is { IsValid: true } session ? session.LeaseId : null;

    /// <summary>The current term of <paramref name="workloadId"/> on this node, or null when this node does not own it.</summary>
    public OwnershipTerm? GetTerm(string workloadId)
    {
        lock (_gate)
        {
            return _terms.GetValueOrDefault(workloadId);
        }
    }

    /// <summary>Starts holding a lease in the background; an unreachable store is retried, not fatal.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = SessionLoopAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>Ends every term and revokes the lease, so other nodes take over at once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _disposed, 1); // a later DisposeAsync has nothing left to do
        // Cancel, not CancelAsync: CancelAsync runs the callbacks (campaigns, terms, the session
        // loop) on the thread pool, which a single-threaded simulation cannot allow; here they run
        // inline, on the thread that stops, like every other continuation of the coordinator.
        CancelInline(_stopping);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Stops it unless StopAsync ran (the host's, bounded by its shutdown timeout); idempotent,
        // as the container disposes it as itself and as a hosted service. _stopping is not
        // disposed: campaigns may still hold tokens linked to it.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Campaigns for <paramref name="workloadId"/> until <paramref name="cancellationToken"/>
    /// fires or the agent stops. Each time this node becomes the owner it calls
    /// <paramref name="whileOwner"/> with the term; the workload runs until
    /// <see cref="OwnershipTerm.Ended"/> fires. When <paramref name="whileOwner"/> returns early
    /// the node keeps the ownership until the term ends; when it throws, the ownership is
    /// released and the campaign goes on after a growing delay.
    /// </summary>
    public async Task RunAsOwnerAsync(string workloadId, Func<OwnershipTerm, Task> whileOwner, CancellationToken cancellationToken)
    {
        WorkloadIds.Validate(workloadId);
        ArgumentNullException.ThrowIfNull(whileOwner);
        lock (_gate)
        {
            // Two campaigns for one workload on one node would compete with themselves.
            if (!_campaigns.Add(workloadId))
            {
                throw new InvalidOperationException($"Node {NodeId} already campaigns for workload '{workloadId}'; campaign once per workload and node.");
            }
        }

        try
        {
            await CampaignAsync(workloadId, whileOwner, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _campaigns.Remove(workloadId);
            }
        }
    }

    /// <summary>
    /// Claims <paramref name="workloadId"/> once, for the process swap: when no node owns it,
    /// this node becomes the owner and <paramref name="whileOwner"/> runs the term, as in
    /// <see cref="RunAsOwnerAsync"/>; when <paramref name="whileOwner"/> throws, or
    /// <paramref name="cancellationToken"/> fires, the ownership is released at once. Returns
    /// false, without waiting, when another node owns it (a swap's source whose lease has not
    /// expired yet).
    /// </summary>
    /// <exception cref="CoordinationException">The store could not be reached.</exception>
    internal async Task<bool> TryRunOnceAsync(string workloadId, Func<OwnershipTerm, Task> whileOwner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_campaigns.Add(workloadId))
            {
                throw new InvalidOperationException($"Node {NodeId} already runs or campaigns for workload '{workloadId}'.");
            }
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            CancellationToken stop = linked.Token;
            LeaseSession session = await WaitForSessionAsync(stop).ConfigureAwait(false);
            OwnershipRead read = await CallAsync(t => _store.GetOwnerAsync(workloadId, t), "an ownership read", stop).ConfigureAwait(false);
            OwnershipRecord? owner = read.Owner;
            if (owner is null)
            {
                OwnershipClaim claim;
                try
                {
                    claim = await CallAsync(t => _store.TryAcquireAsync(workloadId, NodeId, session.LeaseId, t), "an ownership claim", stop).ConfigureAwait(false);
                }
                catch (LeaseExpiredException)
                {
                    session.Abandon("the store no longer has it");
                    return false;
                }
                catch (CoordinationException) when (!stop.IsCancellationRequested)
                {
                    // The store may have carried the claim out and only the answer been lost (a
                    // request that timed out after it was done). Unread, the workload would stay
                    // owned here, under a live lease, by no run: nobody could ever claim it.
                    OwnershipRead after = await CallAsync(t => _store.GetOwnerAsync(workloadId, t), "an ownership read", stop).ConfigureAwait(false);
                    if (after.Owner is null || after.Owner.NodeId != NodeId || after.Owner.LeaseId != session.LeaseId)
                    {
                        throw;
                    }

                    claim = new OwnershipClaim(true, after.Owner, after.Revision);
                }

                owner = claim.Owner;
            }

            bool mine = owner is not null && owner.NodeId == NodeId && owner.LeaseId == session.LeaseId;
            if (!mine || !session.IsValid)
            {
                return false;
            }

            await RunTermAsync(owner!, session, whileOwner, stop).ConfigureAwait(false);
            return true;
        }
        finally
        {
            lock (_gate)
            {
                _campaigns.Remove(workloadId);
            }
        }
    }

    private async Task CampaignAsync(string workloadId, Func<OwnershipTerm, Task> whileOwner, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        CancellationToken stop = linked.Token;
        TimeSpan retry = TimeSpan.Zero;
        // Bounded: every turn either waits for a change (at most a lease's life), runs a term,
        // or backs off; the loop ends with the campaign.
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (retry > TimeSpan.Zero)
                {
                    await TokenTasks.DelayAsync(retry, _time, stop).ConfigureAwait(false);
                }

                LeaseSession session = await WaitForSessionAsync(stop).ConfigureAwait(false);
                retry = await CampaignOnceAsync(workloadId, session, whileOwner, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (CoordinationException ex)
            {
                retry = Next(retry);
                CoordinationLog.CampaignFailed(_logger, NodeId, workloadId, retry.TotalMilliseconds, ex);
            }
#pragma warning disable CA1031 // A store that throws something else (a bug) must not end the campaign for good.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                retry = Next(retry);
                CoordinationLog.LoopFailed(_logger, NodeId, retry.TotalMilliseconds, ex);
            }
        }
    }

    /// <summary>Reads the owner, claims the workload if it has none, and either runs a term or waits for a change. Returns the delay before the next turn.</summary>
    private async Task<TimeSpan> CampaignOnceAsync(string workloadId, LeaseSession session, Func<OwnershipTerm, Task> whileOwner, CancellationToken stop)
    {
        OwnershipRead read = await CallAsync(t => _store.GetOwnerAsync(workloadId, t), "an ownership read", stop).ConfigureAwait(false);
        OwnershipRecord? owner = read.Owner;
        long revision = read.Revision;
        bool mine = false;
        if (owner is null)
        {
            try
            {
                OwnershipClaim claim = await CallAsync(t => _store.TryAcquireAsync(workloadId, NodeId, session.LeaseId, t), "an ownership claim", stop).ConfigureAwait(false);
                // A claim can "fail" naming this very lease: a retried request whose first try
                // succeeded (etcd's client retries). It is ours all the same.
                (owner, revision) = (claim.Owner, claim.Revision);
                mine = claim.Succeeded || (owner is not null && owner.NodeId == NodeId && owner.LeaseId == session.LeaseId);
            }
            catch (LeaseExpiredException)
            {
                session.Abandon("the store no longer has it");
                return TimeSpan.Zero;
            }
        }
        else
        {
            // Ours under this very lease but not running: a term that could not release after a
            // failure. Running it again is safe; a second campaign for it on this node is not.
            mine = owner.NodeId == NodeId && owner.LeaseId == session.LeaseId && GetTerm(workloadId) is null;
        }

        if (mine && !session.IsValid)
        {
            // The store's answer came after the session's safe life ran out (the process stalled,
            // or the store was slow): by now another node may own the workload. The ownership ends
            // with the lapsed lease; the next session campaigns again.
            return TimeSpan.Zero;
        }

        if (mine)
        {
            bool failed = await RunTermAsync(owner!, session, whileOwner, stop).ConfigureAwait(false);
            return failed ? Next(TimeSpan.Zero) : TimeSpan.Zero;
        }

        bool woke = await WaitForChangeAsync(workloadId, revision, session, stop).ConfigureAwait(false);
        return woke ? TimeSpan.Zero : Next(TimeSpan.Zero); // a watch that just ended: not straight back
    }

    /// <summary>Runs one term. Returns whether the workload failed.</summary>
    private async Task<bool> RunTermAsync(OwnershipRecord owner, LeaseSession session, Func<OwnershipTerm, Task> whileOwner, CancellationToken stop)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stop, session.Lost);
        var term = new OwnershipTerm(owner, session, ended.Token);
        var finished = new TaskCompletionSource();
        lock (_gate)
        {
            // One campaign per workload and node (RunAsOwnerAsync), so the slot is free.
            _terms[owner.WorkloadId] = term;
            _termsRunning[term] = finished.Task;
        }

        try
        {
            return await HoldTermAsync(term, owner, session, ended, whileOwner, stop).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _termsRunning.Remove(term);
            }

            finished.TrySetResult();
        }
    }

    private async Task<bool> HoldTermAsync(OwnershipTerm term, OwnershipRecord owner, LeaseSession session, CancellationTokenSource ended, Func<OwnershipTerm, Task> whileOwner, CancellationToken stop)
    {

        CoordinationLog.OwnershipAcquired(_logger, NodeId, owner.WorkloadId, owner.FencingToken);
        _agent.ObserveFencingToken(owner.FencingToken);
        _metrics.OwnershipAcquired();
        Task watching = WatchTermAsync(owner, ended);
        bool failed = false;
        try
        {
            await whileOwner(term).ConfigureAwait(false);
            // Returned while still the owner: keep the workload here, and nowhere else, until the term ends.
            await TokenTasks.WhenCancelledAsync(ended.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The term ended.
        }
#pragma warning disable CA1031 // The user's workload failed: release and campaign again, never crash the agent.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failed = true;
            CoordinationLog.TermFailed(_logger, owner.WorkloadId, NodeId, owner.FencingToken, ex);
        }
        finally
        {
            CancelInline(ended);
            await watching.ConfigureAwait(false);
            lock (_gate)
            {
                _terms.Remove(owner.WorkloadId);
            }

            _metrics.OwnershipEnded();
        }

        string reason = stop.IsCancellationRequested ? "the campaign stopped"
            : session.Lost.IsCancellationRequested ? $"lease {session.LeaseId} ended: {session.LostReason}"
            : failed ? "the workload failed"
            : "the store shows another owner or none";
        CoordinationLog.OwnershipEnded(_logger, NodeId, owner.WorkloadId, owner.FencingToken, reason);
        if ((stop.IsCancellationRequested || failed) && session.IsValid)
        {
            // Let another node take over now rather than when the lease expires.
            try
            {
                await CallAsync(t => _store.ReleaseAsync(owner, t), "an ownership release", CancellationToken.None).ConfigureAwait(false);
            }
            catch (CoordinationException)
            {
                // The ownership ends with the lease instead.
            }
        }

        return failed;
    }

    /// <summary>Ends the term when the store shows the ownership moved or gone.</summary>
    private async Task WatchTermAsync(OwnershipRecord owner, CancellationTokenSource ended)
    {
        long after = owner.FencingToken;
        TimeSpan retry = TimeSpan.Zero;
        // Bounded by the term: a store that stays unreachable ends it through the lease.
        while (!ended.IsCancellationRequested)
        {
            try
            {
                if (retry > TimeSpan.Zero)
                {
                    await TokenTasks.DelayAsync(retry, _time, ended.Token).ConfigureAwait(false);
                }

                await foreach (CoordinationEvent change in _store.WatchAsync(after, ended.Token).ConfigureAwait(false))
                {
                    if (change.Owner is { } changed)
                    {
                        _agent.ObserveFencingToken(changed.FencingToken);
                    }

                    if (change.WorkloadId == owner.WorkloadId && (change.Kind == CoordinationEventKind.OwnerRemoved || change.Owner?.FencingToken != owner.FencingToken))
                    {
                        CancelInline(ended);
                        return;
                    }

                    after = change.Revision;
                }

                retry = Next(retry); // the store closed the watch: open another, not in a tight loop
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                return;
            }
            catch (CoordinationHistoryCompactedException)
            {
                OwnershipRead read = await ReadAfterCompactionAsync(owner.WorkloadId, ended.Token).ConfigureAwait(false);
                if (read.Owner?.FencingToken != owner.FencingToken)
                {
                    CancelInline(ended);
                    return;
                }

                after = read.Revision;
            }
#pragma warning disable CA1031 // Unreachable or broken, the store cannot end the term: the lease does.
            catch (Exception)
#pragma warning restore CA1031
            {
                retry = Next(retry);
            }
        }
    }

    private async Task<OwnershipRead> ReadAfterCompactionAsync(string workloadId, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(t => _store.GetOwnerAsync(workloadId, t), "an ownership read", cancellationToken).ConfigureAwait(false);
        }
        catch (CoordinationException)
        {
            // Cannot tell: keep the term; the lease still bounds it.
            OwnershipTerm? term = GetTerm(workloadId);
            return new OwnershipRead(term?.Ownership, term?.FencingToken ?? 0);
        }
    }

    /// <summary>
    /// Waits until the workload's ownership changes after <paramref name="revision"/>, the session
    /// ends, or a lease's life passes (true), or the store closes the watch (false).
    /// </summary>
    private async Task<bool> WaitForChangeAsync(string workloadId, long revision, LeaseSession session, CancellationToken stop)
    {
        // The timeout re-reads now and then in case a change was missed.
        using var timeout = new CancellationTokenSource(_options.LeaseTimeToLive, _time);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stop, session.Lost, timeout.Token);
        try
        {
            await foreach (CoordinationEvent change in _store.WatchAsync(revision, wake.Token).ConfigureAwait(false))
            {
                if (change.WorkloadId == workloadId)
                {
                    return true;
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return true; // the session ended or the timeout passed: read again
        }
        catch (CoordinationHistoryCompactedException)
        {
            return true; // read again
        }
    }

    private async Task SessionLoopAsync(CancellationToken stopping)
    {
        TimeSpan retry = TimeSpan.Zero;
        // Bounded: each turn holds one session until it ends, or backs off after a failed grant.
        while (!stopping.IsCancellationRequested)
        {
            LeaseSession session;
            try
            {
                if (retry > TimeSpan.Zero)
                {
                    await TokenTasks.DelayAsync(retry, _time, stopping).ConfigureAwait(false);
                }

                session = await LeaseSession.OpenAsync(_store, _time, _options, _logger, _metrics, NodeId, _agent.Incarnation, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (CoordinationException ex)
            {
                retry = Next(retry);
                CoordinationLog.GrantFailed(_logger, NodeId, retry.TotalMilliseconds, ex);
                continue;
            }
#pragma warning disable CA1031 // Without this loop the node never holds a lease again: log, back off, go on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                retry = Next(retry);
                CoordinationLog.LoopFailed(_logger, NodeId, retry.TotalMilliseconds, ex);
                continue;
            }

            retry = TimeSpan.Zero;
            TaskCompletionSource<LeaseSession> ready;
            lock (_gate)
            {
                ready = _session;
            }

            // Waiters see the next session from the instant this one ends.
            using (session.Lost.UnsafeRegister(static s => ((FailoverCoordinator)s!).ResetSession(), this))
            {
                ready.TrySetResult(session); // outside the lock: awaiting campaigns continue inline
                await TokenTasks.WhenAnyCancelledAsync(stopping, session.Lost).ConfigureAwait(false);
            }

            ResetSession();
            if (stopping.IsCancellationRequested)
            {
                // A graceful stop: revoke, so others take over at once, but only once every term
                // under the lease has finished stopping its workload (the campaigns' tokens have
                // fired; the host's stop timeout bounds the wait).
                Task[] running;
                lock (_gate)
                {
                    running = [.. _termsRunning.Values];
                }

                await Task.WhenAll(running).ConfigureAwait(false);
                await session.CloseAsync(revoke: true).ConfigureAwait(false);
            }
            else
            {
                // Lost: the lease must run out in the store, which gives the workloads stopping
                // here their margin before anyone else can start them.
                await session.CloseAsync(revoke: false).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Cancels inline (see StopAsync), logging rather than throwing what a handler threw.</summary>
    private void CancelInline(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
#pragma warning disable CA1031 // One throwing Ended handler must not keep the term from ending.
        catch (AggregateException ex)
#pragma warning restore CA1031
        {
            CoordinationLog.HandlerFailed(_logger, NodeId, ex);
        }
    }

    private void ResetSession()
    {
        lock (_gate)
        {
            if (_session.Task.IsCompleted)
            {
                _session = NewSessionSource();
            }
        }
    }

    private LeaseSession? CurrentSession()
    {
        lock (_gate)
        {
            return _session.Task.IsCompletedSuccessfully ? _session.Task.Result : null;
        }
    }

    private async Task<LeaseSession> WaitForSessionAsync(CancellationToken cancellationToken)
    {
        // Bounded: a session that turns out invalid has ended or ends at its deadline, and its
        // end replaces the source awaited here.
        while (true)
        {
            Task<LeaseSession> next;
            lock (_gate)
            {
                next = _session.Task;
            }

            LeaseSession session = await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (session.IsValid)
            {
                return session;
            }

            await TokenTasks.WhenAnyCancelledAsync(session.Lost, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();

            // The session loop replaces the source when the session ends, but from a callback
            // registered before this wait's, so run after it (last registered, first run): replace
            // it here too, or the next turn finds the same lost session and spins.
            ReplaceLostSession(session);
        }
    }

    private void ReplaceLostSession(LeaseSession lost)
    {
        lock (_gate)
        {
            if (_session.Task.IsCompletedSuccessfully && ReferenceEquals(_session.Task.Result, lost))
            {
                _session = NewSessionSource();
            }
        }
    }

    private ValueTask<T> CallAsync<T>(Func<CancellationToken, ValueTask<T>> call, string what, CancellationToken cancellationToken)
        => StoreCalls.WithTimeoutAsync(call, what, _options.RequestTimeout, _time, cancellationToken);

    private TimeSpan Next(TimeSpan retry)
    {
        TimeSpan cap = _options.EffectiveRenewInterval;
        TimeSpan next = retry <= TimeSpan.Zero ? FirstRetry : retry * 2;
        return next < cap ? next : cap;
    }

    // Continuations run inline on whoever completes it, never under the lock, so a simulation stays on its thread.
    private static TaskCompletionSource<LeaseSession> NewSessionSource() => new();
}
