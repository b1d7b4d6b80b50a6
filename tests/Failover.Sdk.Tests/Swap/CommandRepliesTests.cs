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
