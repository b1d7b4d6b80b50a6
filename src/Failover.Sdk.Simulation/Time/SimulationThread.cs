namespace Failover.Sdk.Simulation.Time;

/// <summary>
/// Runs simulator work outside <see cref="VirtualTimeProvider"/>'s event loop (starting and
/// killing processes, reading the store for a caller) as the loop runs its events: with no
/// <see cref="SynchronizationContext"/>. With one (a test framework's, a UI's) the runtime
/// queues even <c>ConfigureAwait(false)</c> continuations to the thread pool instead of running
/// them inline, and a run would leave its thread.
/// </summary>
internal static class SimulationThread
{
    public static void Run(Action action)
    {
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public static T Run<T>(Func<T> function)
    {
        T result = default!;
        Run(() => { result = function(); });
        return result;
    }
}
