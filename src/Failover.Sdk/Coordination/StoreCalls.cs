namespace Failover.Sdk.Coordination;

/// <summary>
/// Bounds every store request by a timeout on the caller's clock, so a store that never
/// answers (a partition, a paused etcd) is a <see cref="CoordinationUnavailableException"/>
/// after a known time rather than a hang.
/// </summary>
internal static class StoreCalls
{
    public static async ValueTask<T> WithTimeoutAsync<T>(
        Func<CancellationToken, ValueTask<T>> call, string what, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CoordinationUnavailableException($"The coordination store did not answer {what} within {timeout.TotalMilliseconds:F0} ms.", ex);
        }
    }

    public static ValueTask WithTimeoutAsync(
        Func<CancellationToken, ValueTask> call, string what, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        => Unit(WithTimeoutAsync(async t => { await call(t).ConfigureAwait(false); return true; }, what, timeout, time, cancellationToken));

    private static async ValueTask Unit(ValueTask<bool> task) => await task.ConfigureAwait(false);
}
