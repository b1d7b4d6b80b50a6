namespace Failover.Sdk.Coordination;

/// <summary>Waiting for a cancellation token without a timer or an exception.</summary>
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
}
