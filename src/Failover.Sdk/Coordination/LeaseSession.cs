using Failover.Sdk.Configuration;
using Microsoft.Extensions.Logging;

namespace Failover.Sdk.Coordination;

/// <summary>
/// One lease of this agent, kept alive until it is lost. The session is valid until its
/// <em>deadline</em>: the send time of the last renewal the store confirmed, plus the lease's
/// time to live, minus the safety margin, all on this node's monotonic clock. The store
/// counts the same time to live from when it <em>received</em> that renewal, which is later,
/// so while clocks drift less than the margin allows, the session ends here before the lease
/// can end in the store and a new owner can start.
/// </summary>
/// <remarks>
/// Once invalid, a session never becomes valid again, even if a late renewal succeeds: what
/// stopped when it lapsed stays stopped, and the agent opens a new session instead.
/// </remarks>
internal sealed class LeaseSession : IAsyncDisposable
{
    private readonly ICoordinationStore _store;
    private readonly TimeProvider _time;
    private readonly FailoverCoordinationOptions _options;
    private readonly ILogger _logger;
    private readonly uint _nodeId;
    private readonly long _validLife;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _deadlineTimer;
    private long _deadline;
    private int _ended;
    private Task _renewing = Task.CompletedTask;

    private LeaseSession(ICoordinationStore store, TimeProvider time, FailoverCoordinationOptions options, ILogger logger, uint nodeId, CoordinationLease lease, long grantSent)
    {
        _store = store;
        _time = time;
        _options = options;
        _logger = logger;
        _nodeId = nodeId;
        Lease = lease;
        _validLife = ToTimestamp(lease.TimeToLive - options.LeaseSafetyMargin);
        _deadline = grantSent + _validLife;
        _deadlineTimer = time.CreateTimer(static s => ((LeaseSession)s!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public CoordinationLease Lease { get; }

    public long LeaseId => Lease.Id;

    /// <summary>Cancelled once the session is over: its deadline passed, the store lost the lease, or the agent stopped.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Why the session ended, once it has.</summary>
    public string? LostReason { get; private set; }

    /// <summary>Whether the lease is still this node's by its own clock: checked before every act as owner.</summary>
    public bool IsValid => !_lost.IsCancellationRequested && _time.GetTimestamp() < Volatile.Read(ref _deadline);

    /// <summary>How long the session stays valid without another renewal.</summary>
    public TimeSpan Remaining => IsValid ? _time.GetElapsedTime(_time.GetTimestamp(), Volatile.Read(ref _deadline)) : TimeSpan.Zero;

    /// <summary>Grants a lease, records this agent as a member under it, and starts renewing it.</summary>
    public static async Task<LeaseSession> OpenAsync(
        ICoordinationStore store, TimeProvider time, FailoverCoordinationOptions options, ILogger logger, uint nodeId, uint incarnation, CancellationToken cancellationToken)
    {
        long sent = time.GetTimestamp();
        CoordinationLease lease = await StoreCalls.WithTimeoutAsync(
            t => store.GrantLeaseAsync(options.LeaseTimeToLive, t), "a lease grant", options.RequestTimeout, time, cancellationToken).ConfigureAwait(false);
        var session = new LeaseSession(store, time, options, logger, nodeId, lease, sent);
        try
        {
            await StoreCalls.WithTimeoutAsync(
                t => store.JoinAsync(new ClusterMember(nodeId, incarnation, lease.Id), t), "a membership update", options.RequestTimeout, time, cancellationToken).ConfigureAwait(false);
            if (!session.IsValid)
            {
                throw new CoordinationUnavailableException($"Lease {lease.Id} was granted and joined too slowly: its safe life of {(lease.TimeToLive - options.LeaseSafetyMargin).TotalMilliseconds:F0} ms had passed.");
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        CoordinationLog.LeaseGranted(logger, nodeId, lease.Id, lease.TimeToLive.TotalMilliseconds, options.EffectiveRenewInterval.TotalMilliseconds, options.LeaseSafetyMargin.TotalMilliseconds);
        session.ArmDeadline();
        session._renewing = session.RenewLoopAsync(session._stopping.Token);
        return session;
    }

    /// <summary>Ends the session and revokes the lease (best effort), which frees its workloads at once for other nodes.</summary>
    public async ValueTask DisposeAsync()
    {
        End("the agent is stopping", expected: true);
        _stopping.Cancel(); // inline: see FailoverCoordinator.StopAsync
        await _renewing.ConfigureAwait(false);
        await _deadlineTimer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await StoreCalls.WithTimeoutAsync(t => _store.RevokeLeaseAsync(LeaseId, t), "a lease revocation", _options.RequestTimeout, _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CoordinationException)
        {
            // Unreachable: the lease expires on its own, which is the slow path of the same result.
        }

        // _lost is not disposed: terms linked to its token may still be reading it.
        _stopping.Dispose();
    }

    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        TimeSpan interval = _options.EffectiveRenewInterval;
        TimeSpan wait = interval;
        // Bounded: each turn waits at least a third of the interval, and the loop ends with
        // the session, at the latest at its deadline.
        while (!_lost.IsCancellationRequested)
        {
            try
            {
                await TokenTasks.DelayAsync(wait, _time, stopping).ConfigureAwait(false);
                long sent = _time.GetTimestamp();
                TimeSpan timeout = Remaining < _options.RequestTimeout ? Remaining : _options.RequestTimeout;
                if (timeout <= TimeSpan.Zero)
                {
                    End("it was not renewed before its safe life ran out");
                    return;
                }

                bool alive = await StoreCalls.WithTimeoutAsync(t => _store.KeepAliveAsync(LeaseId, t), "a lease renewal", timeout, _time, stopping).ConfigureAwait(false);
                if (!alive)
                {
                    End("the store no longer has it");
                    return;
                }

                Extend(sent + _validLife);
                wait = interval;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (CoordinationException ex)
            {
                CoordinationLog.RenewFailed(_logger, _nodeId, LeaseId, Remaining.TotalMilliseconds, ex);
                wait = interval / 3;
            }
        }
    }

    private void Extend(long deadline)
    {
        // A renewal that lands after the deadline passed cannot revive the session: things
        // already stopped on the strength of it.
        long current = Volatile.Read(ref _deadline);
        if (_time.GetTimestamp() >= current)
        {
            End("it was not renewed before its safe life ran out");
            return;
        }

        if (deadline > current)
        {
            Volatile.Write(ref _deadline, deadline);
            ArmDeadline();
        }
    }

    private void ArmDeadline()
    {
        long left = Volatile.Read(ref _deadline) - _time.GetTimestamp();
        _deadlineTimer.Change(left <= 0 ? TimeSpan.Zero : _time.GetElapsedTime(0, left), Timeout.InfiniteTimeSpan);
    }

    private void OnDeadline()
    {
        if (_time.GetTimestamp() >= Volatile.Read(ref _deadline))
        {
            End("it was not renewed before its safe life ran out");
        }
        else
        {
            ArmDeadline(); // extended meanwhile
        }
    }

    /// <summary>Ends the session now: the store said the lease is gone before a renewal did.</summary>
    public void Abandon(string reason) => End(reason);

    private void End(string reason, bool expected = false)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        LostReason = reason;
        if (!expected)
        {
            CoordinationLog.LeaseLost(_logger, _nodeId, LeaseId, reason);
        }

        _lost.Cancel();
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);
}
