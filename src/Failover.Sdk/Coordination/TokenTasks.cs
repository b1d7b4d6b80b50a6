namespace Failover.Sdk.Coordination;

/// <summary>Waiting for a cancellation token or a delay without handing the continuation to the thread pool.</summary>
internal static class TokenTasks
{
    /// <summary>
    /// A task that completes (successfully) once any of the tokens fires. Its continuations run
    /// inline on the canceller, as everything else here does, so a simulation stays on its thread.
    /// </summary>
    public static async Task WhenAnyCancelledAsync(CancellationToken first, CancellationToken second)
    {
        var fired = new TaskCompletionSource();
        await using CancellationTokenRegistration a = first.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), fired);
        await using CancellationTokenRegistration b = second.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), fired);
        await fired.Task.ConfigureAwait(false);
    }

    /// <summary>A task that completes (successfully) once <paramref name="token"/> fires.</summary>
    public static Task WhenCancelledAsync(CancellationToken token) => WhenAnyCancelledAsync(token, CancellationToken.None);

    /// <summary>
    /// Like <c>Task.Delay(delay, time, cancellationToken)</c>, but a cancellation resumes the
    /// waiter inline on the canceller: a cancelled <c>Task.Delay</c> resumes it on the thread pool,
    /// which would take a simulated coordinator off the simulation's thread whenever a term ends
    /// or the agent stops during a wait.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource();
        using ITimer timer = time.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), done, delay, Timeout.InfiniteTimeSpan);
        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(static (s, t) => ((TaskCompletionSource)s!).TrySetCanceled(t), done);
        await done.Task.ConfigureAwait(false);
    }
}
