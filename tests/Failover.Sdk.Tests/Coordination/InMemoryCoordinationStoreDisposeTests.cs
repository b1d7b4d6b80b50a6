using Failover.Sdk.Coordination;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Coordination;

/// <summary>Disposing the in-memory store ends its watches, including those whose readers are waiting.</summary>
public sealed class InMemoryCoordinationStoreDisposeTests
{
    [Fact]
    public async Task Dispose_ends_watches_whose_readers_wait_for_a_change()
    {
        // No context: the readers' continuations run inline on the disposing thread, as in the simulator.
        SynchronizationContext.SetSynchronizationContext(null);
        var store = new InMemoryCoordinationStore(new FakeTimeProvider());
        Task<int> first = CountAsync(store.WatchAsync(1));
        Task<int> second = CountAsync(store.WatchAsync(1));
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        store.Dispose();

        Assert.True(first.IsCompletedSuccessfully, $"the first watch is {first.Status}");
        Assert.True(second.IsCompletedSuccessfully, $"the second watch is {second.Status}");
        Assert.Equal(0, await first);
        Assert.Equal(0, await second);
    }

    private static async Task<int> CountAsync(IAsyncEnumerable<CoordinationEvent> changes)
    {
        int count = 0;
        await foreach (CoordinationEvent change in changes.ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}
