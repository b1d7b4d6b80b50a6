namespace Failover.Sdk.Tests.Support;

/// <summary>Waits for a condition that other threads make true, up to a real-time deadline; never a fixed sleep.</summary>
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
