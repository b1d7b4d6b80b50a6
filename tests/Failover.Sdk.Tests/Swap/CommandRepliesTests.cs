using Failover.Sdk.Swap;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Swap;

/// <summary>Swap commands are carried out once per (sender, request), however often they arrive.</summary>
public class CommandRepliesTests
{
    private static Frame Reply(ulong request, SwapCommandStatus status = SwapCommandStatus.Done, ulong token = 9) => new()
    {
        Type = FrameType.WorkloadCommandReply,
        RequestId = request,
        CommandStatus = (byte)status,
        FencingEpoch = token,
    };

    [Fact]
    public void A_command_in_flight_cannot_begin_again()
    {
        var replies = new CommandReplies();
        Assert.True(replies.TryBegin(2, 100));

        Assert.False(replies.TryBegin(2, 100));
        Assert.False(replies.TryGetCached(2, 100, out _));

        // Another request, or the same number from another sender, is another command.
        Assert.True(replies.TryBegin(2, 101));
        Assert.True(replies.TryBegin(3, 100));
    }

    [Fact]
    public void A_command_carried_out_already_cannot_begin_again()
    {
        // A copy that arrived on a second path checked the cache while the first copy was still
        // in flight, then tries to begin after it completed: it must not be carried out twice.
        var replies = new CommandReplies();
        Assert.True(replies.TryBegin(2, 100));
        Assert.False(replies.TryGetCached(2, 100, out _));
        replies.Complete(2, 100, Reply(100), cache: true);

        Assert.False(replies.TryBegin(2, 100));
        Assert.True(replies.TryGetCached(2, 100, out _));
    }

    [Fact]
    public async Task Copies_arriving_on_many_threads_are_carried_out_once()
    {
        var replies = new CommandReplies();
        for (ulong request = 1; request <= 200; request++)
        {
            int carriedOut = 0;
            int answered = 0;
            using var go = new ManualResetEventSlim();
            ulong id = request;
            Task[] copies = [.. Enumerable.Range(0, 4).Select(copy => Task.Run(() =>
            {
                go.Wait();
                // The receiver's steps for each copy: cached? begin? carry out and complete.
                if (replies.TryGetCached(2, id, out _))
                {
                    Interlocked.Increment(ref answered);
                }
                else if (replies.TryBegin(2, id))
                {
                    Interlocked.Increment(ref carriedOut);
                    replies.Complete(2, id, Reply(id), cache: true);
                }
            }))];
            go.Set();
            await Task.WhenAll(copies).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, carriedOut);
        }
    }

    [Fact]
    public void A_cached_reply_is_returned_for_a_resent_command()
    {
        var replies = new CommandReplies();
        Assert.True(replies.TryBegin(2, 100));
        replies.Complete(2, 100, Reply(100, token: 17), cache: true);

        Assert.True(replies.TryGetCached(2, 100, out Frame cached));
        Assert.Equal(Reply(100, token: 17), cached);
        Assert.False(replies.TryGetCached(3, 100, out _));
    }

    [Fact]
    public void A_reply_not_cached_lets_a_resend_ask_again()
    {
        var replies = new CommandReplies();
        Assert.True(replies.TryBegin(2, 100));
        replies.Complete(2, 100, Reply(100, SwapCommandStatus.Pending), cache: false);

        Assert.False(replies.TryGetCached(2, 100, out _));
        Assert.True(replies.TryBegin(2, 100));
    }

    [Fact]
    public void The_cache_keeps_the_last_Capacity_replies_and_evicts_the_oldest()
    {
        var replies = new CommandReplies();
        for (ulong request = 1; request <= CommandReplies.Capacity + 1; request++)
        {
            Assert.True(replies.TryBegin(2, request));
            replies.Complete(2, request, Reply(request), cache: true);
        }

        Assert.False(replies.TryGetCached(2, 1, out _));
        Assert.True(replies.TryGetCached(2, 2, out Frame second));
        Assert.Equal(2ul, second.RequestId);
        Assert.True(replies.TryGetCached(2, CommandReplies.Capacity + 1, out Frame last));
        Assert.Equal(CommandReplies.Capacity + 1, (int)last.RequestId);
    }

    [Fact]
    public void A_second_completion_keeps_the_first_reply()
    {
        var replies = new CommandReplies();
        Assert.True(replies.TryBegin(2, 100));
        replies.Complete(2, 100, Reply(100, token: 1), cache: true);
        replies.Complete(2, 100, Reply(100, token: 2), cache: true);

        Assert.True(replies.TryGetCached(2, 100, out Frame cached));
        Assert.Equal(1ul, cached.FencingEpoch);
    }
}
