namespace Failover.Sdk.Tests.Support;

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
