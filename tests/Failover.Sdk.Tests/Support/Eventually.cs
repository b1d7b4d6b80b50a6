namespace Failover.Sdk.Tests.Support;

/// <summary>Waits for a condition that other threads make true, up to a deadline; never a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            try
            {
                // Yield the thread so receive loops and timer continuations can run.
                await Task.Delay(1, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Not seen before the deadline: {what}");
            }
        }
    }
}

/// <summary>Drives a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> forward in small steps until a condition holds.</summary>
internal static class VirtualTime
{
    /// <summary>
    /// Advances by <paramref name="step"/> at most <paramref name="maxSteps"/> times, giving
    /// timer continuations (which run on the thread pool) a short real-time window after each
    /// step, until <paramref name="condition"/> holds.
    /// </summary>
    public static async Task AdvanceUntilAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan step, int maxSteps, Func<bool> condition, string what)
    {
        for (int i = 0; i < maxSteps && !condition(); i++)
        {
            time.Advance(step);
            using var window = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            while (!condition() && !window.IsCancellationRequested)
            {
                await Task.Yield();
            }
        }

        Assert.True(condition(), $"Not seen within {maxSteps} x {step}: {what}");
    }
}
