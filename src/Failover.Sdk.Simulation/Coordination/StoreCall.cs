namespace Failover.Sdk.Simulation.Coordination;

/// <summary>A request to the simulated store that its caller is still waiting for.</summary>
internal interface IPendingStoreCall
{
    /// <summary>The caller's process died: its remains get an error at once, so they unwind without waiting on timers that died with it.</summary>
    void Abandon(Exception error);
}

/// <summary>
/// One request to the simulated store, as its caller awaits it: completed by the reply's arrival
/// on the caller's node, or cancelled by the caller's token (its request timeout, or the agent
/// stopping). A lost request or reply simply never completes it.
/// </summary>
/// <remarks>
/// Continuations run inline, on the simulator's thread, inside the event that completes the call;
/// nothing is handed to the thread pool.
/// </remarks>
internal sealed class StoreCall<T> : IPendingStoreCall
{
    private readonly TaskCompletionSource<T> _result = new();
    private readonly SimulatedStoreClient _client;
    private readonly CancellationTokenRegistration _registration;

    public StoreCall(SimulatedStoreClient client, CancellationToken cancellationToken)
    {
        _client = client;
        client.Track(this);
        _registration = cancellationToken.UnsafeRegister(static (s, token) => ((StoreCall<T>)s!).Cancel(token), this);
    }

    public Task<T> Task => _result.Task;

    public void Succeed(T value)
    {
        Finish();
        _result.TrySetResult(value);
    }

    public void Fail(Exception error)
    {
        Finish();
        _result.TrySetException(error);
    }

    public void Abandon(Exception error) => Fail(error);

    private void Cancel(CancellationToken token)
    {
        _client.Forget(this);
        _result.TrySetCanceled(token);
    }

    private void Finish()
    {
        _registration.Dispose();
        _client.Forget(this);
    }
}
