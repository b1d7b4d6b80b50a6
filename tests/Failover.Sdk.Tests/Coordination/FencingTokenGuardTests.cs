using Failover.Sdk.Coordination;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Coordination;

public class FencingTokenGuardTests
{
    [Fact]
    public void Refuses_an_older_token_and_accepts_the_same_or_a_newer_one()
    {
        var guard = new FencingTokenGuard();
        Assert.True(guard.TryAccept(5));
        Assert.True(guard.TryAccept(5));
        Assert.False(guard.TryAccept(4));
        Assert.True(guard.TryAccept(9));
        Assert.Equal(9, guard.Newest);

        StaleFencingTokenException error = Assert.Throws<StaleFencingTokenException>(() => guard.Accept(5));
        Assert.Equal((5, 9), (error.Token, error.Newest));
        Assert.Contains("token 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restored_from_storage_it_refuses_what_came_before()
    {
        var guard = new FencingTokenGuard(newest: 40);
        Assert.False(guard.TryAccept(39));
        Assert.True(guard.TryAccept(40));
    }

    [Property(MaxTest = 300)]
    public bool Accepts_exactly_the_tokens_not_older_than_any_accepted_before(long[] tokens)
    {
        var guard = new FencingTokenGuard();
        long newest = 0;
        foreach (long token in tokens)
        {
            bool expected = token >= newest;
            if (guard.TryAccept(token) != expected)
            {
                return false;
            }

            newest = Math.Max(newest, expected ? token : newest);
        }

        return guard.Newest == newest;
    }

    [Fact]
    public async Task Under_contention_the_newest_token_wins_and_no_accepted_token_is_older_than_one_accepted_before_it_on_the_same_thread()
    {
        var guard = new FencingTokenGuard();
        long[][] accepted = await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var mine = new List<long>();
            for (long i = 0; i < 20_000; i++)
            {
                long token = (i * 4) + t;
                if (guard.TryAccept(token))
                {
                    mine.Add(token);
                }
            }

            return mine.ToArray();
        })));

        Assert.Equal((19_999 * 4) + 3, guard.Newest);
        Assert.All(accepted, mine => Assert.Equal(mine.Order(), mine));
    }
}
