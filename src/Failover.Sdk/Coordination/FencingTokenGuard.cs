namespace Failover.Sdk.Coordination;

/// <summary>
/// The check a fenced resource makes (a workload runner, a storage volume, a database row):
/// it remembers the newest fencing token it has accepted and refuses anything older. A paused
/// or partitioned owner that wakes up still believing it owns a workload holds an older token
/// than the owner that replaced it, so everything it sends is refused.
/// </summary>
/// <remarks>Thread-safe and lock-free. Equal tokens pass: one owner sends many commands under one token.</remarks>
public sealed class FencingTokenGuard
{
    private long _newest;

    /// <summary>Creates a guard that has seen no token (every token is accepted once).</summary>
    public FencingTokenGuard()
    {
    }

    /// <summary>Creates a guard that has already seen <paramref name="newest"/>, e.g. restored from the resource's own storage.</summary>
    public FencingTokenGuard(long newest) => _newest = newest;

    /// <summary>The newest token accepted so far (0 for none).</summary>
    public long Newest => Volatile.Read(ref _newest);

    /// <summary>Accepts <paramref name="token"/> if it is not older than the newest seen, making it the newest.</summary>
    public bool TryAccept(long token)
    {
        long newest = Volatile.Read(ref _newest);
        while (token >= newest)
        {
            if (token == newest)
            {
                return true;
            }

            long seen = Interlocked.CompareExchange(ref _newest, token, newest);
            if (seen == newest)
            {
                return true;
            }

            newest = seen;
        }

        return false;
    }

    /// <summary>Like <see cref="TryAccept"/>, throwing when the token is stale.</summary>
    /// <exception cref="StaleFencingTokenException"><paramref name="token"/> is older than the newest seen.</exception>
    public void Accept(long token)
    {
        if (!TryAccept(token))
        {
            throw new StaleFencingTokenException(token, Newest);
        }
    }
}
