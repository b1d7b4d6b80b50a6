using System.Collections.Concurrent;
using Failover.Sdk.Agent;
using Failover.Sdk.Configuration;
using Failover.Sdk.Swap;
using Failover.Sdk.Telemetry;
using Failover.Sdk.Tests.Support;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Failover.Sdk.Tests.Swap;

/// <summary>
/// The swap's command channel between a real agent pair on the in-memory network, in virtual
/// time: node 1 sends, node 2's answers are scripted by each test.
/// </summary>
public sealed class CommandChannelTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private const int Attempts = 3;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNetwork _network = new();
    private readonly Target _target = new();
    private readonly FailoverAgent _sender;
    private readonly FailoverAgent _receiver;
    private readonly CommandChannel _channel;

    public CommandChannelTests()
    {
        _sender = Agent(1, 2);
        _receiver = Agent(2, 1);
        _target.Agent = _receiver;
        _target.Time = _time;
        _channel = new CommandChannel(_sender, _time, new FailoverSwapOptions { CommandTimeout = Timeout, CommandAttempts = Attempts }, _ => Task.FromResult<Frame?>(null));
        _sender.SetWorkloadFrameHandler(new Replies(_channel));
        _receiver.SetWorkloadFrameHandler(_target);
    }

    public async Task InitializeAsync()
    {
        await _sender.StartAsync(CancellationToken.None);
        await _receiver.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _sender.StopAsync(CancellationToken.None);
        await _receiver.StopAsync(CancellationToken.None);
        _sender.Dispose();
        _receiver.Dispose();
    }

    private FailoverAgent Agent(uint node, uint peer)
    {
        var options = new FailoverOptions { NodeId = node, Incarnation = 1, Transport = FailoverTransportKind.InMemory };
        options.Peers.Add(new FailoverPeerOptions { NodeId = peer });
        TransportSet transports = TransportFactory.Create(options, _network, _time, NullLoggerFactory.Instance, FailoverMetrics.Disabled);
        return new FailoverAgent(Options.Create(options), transports, _time, NullLogger<FailoverAgent>.Instance, FailoverMetrics.Disabled);
    }

    private static Frame Terminate(ulong token = 5) => new() { Command = (byte)SwapCommand.Terminate, WorkloadId = 77, FencingEpoch = token };

    private Task AdvanceUntilAsync(Func<bool> condition, string what) => VirtualTime.AdvanceUntilAsync(_time, Step, 200, condition, what);

    [Fact]
    public async Task A_silent_node_is_asked_CommandAttempts_times_then_the_answer_is_none()
    {
        DateTimeOffset start = _time.GetUtcNow();
        Task<Frame?> send = _channel.SendAsync(2, Terminate(), TimeSpan.FromMinutes(1), CancellationToken.None);

        await AdvanceUntilAsync(() => send.IsCompleted, "the channel gives up");

        Assert.Null(await send.WaitAsync(Deadline));
        (Frame Command, DateTimeOffset At)[] received = [.. _target.Received];
        Assert.Equal(Attempts, received.Length);
        Assert.Single(received.Select(r => r.Command.RequestId).Distinct());
        Assert.All(received, r => Assert.Equal((byte)SwapCommand.Terminate, r.Command.Command));
        Assert.All(received, r => Assert.Equal(FrameType.WorkloadCommand, r.Command.Type));
        Assert.Equal(start, received[0].At);
        for (int i = 1; i < received.Length; i++)
        {
            Assert.True(received[i].At - received[i - 1].At >= Timeout, "a resend came before the command timeout");
        }

        Assert.True(_time.GetUtcNow() - start >= Timeout * Attempts, "gave up before the last attempt timed out");
    }

    [Fact]
    public async Task A_final_reply_is_returned_at_once()
    {
        _target.Script = (_, _) => SwapCommandStatus.StaleToken;

        Frame? reply = await _channel.SendAsync(2, Terminate(token: 3), TimeSpan.FromMinutes(1), CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal((byte)SwapCommandStatus.StaleToken, reply?.CommandStatus);
        Assert.Equal(2u, reply?.Sender);
        Assert.Single(_target.Received);
    }

    [Fact]
    public async Task Pending_answers_extend_the_wait_past_CommandAttempts_up_to_the_limit()
    {
        _target.Script = (_, _) => SwapCommandStatus.Pending;
        DateTimeOffset start = _time.GetUtcNow();
        TimeSpan limit = Timeout * 5;

        Task<Frame?> send = _channel.SendAsync(2, Terminate(), limit, CancellationToken.None);
        await AdvanceUntilAsync(() => send.IsCompleted, "the channel gives up at its limit");

        Assert.Null(await send.WaitAsync(Deadline));
        Assert.True(_target.Received.Count > Attempts, $"only {_target.Received.Count} sends");
        Assert.True(_time.GetUtcNow() - start >= limit, "gave up before the limit");
        Assert.True(_target.Received.Last().At - start < limit + Timeout, "asked again after the limit");
    }

    [Fact]
    public async Task Pending_then_a_final_reply_returns_the_final_reply()
    {
        _target.Script = (_, n) => n < 4 ? SwapCommandStatus.Pending : SwapCommandStatus.Done;

        Task<Frame?> send = _channel.SendAsync(2, Terminate(), TimeSpan.FromMinutes(1), CancellationToken.None);
        await AdvanceUntilAsync(() => send.IsCompleted, "the final reply arrives");

        Assert.Equal((byte)SwapCommandStatus.Done, (await send.WaitAsync(Deadline))?.CommandStatus);
        Assert.Equal(5, _target.Received.Count);
    }

    [Fact]
    public async Task A_late_reply_to_the_first_send_completes_the_command()
    {
        Task<Frame?> send = _channel.SendAsync(2, Terminate(), TimeSpan.FromMinutes(1), CancellationToken.None);
        await AdvanceUntilAsync(() => _target.Received.Count == 2, "the command is sent again");
        Assert.False(send.IsCompleted);

        // The node answers the first copy only now; the resend carries the same request id.
        Frame first = _target.Received.First().Command;
        await _target.ReplyAsync(first with { RequestId = first.RequestId + 1000 }, SwapCommandStatus.Refused); // not this command's
        Assert.False(send.IsCompleted);
        await _target.ReplyAsync(first, SwapCommandStatus.Done);

        Frame? reply = await send.WaitAsync(Deadline);
        Assert.Equal((byte)SwapCommandStatus.Done, reply?.CommandStatus);
        Assert.Equal(first.RequestId, reply?.RequestId);
        Assert.Equal(2, _target.Received.Count);
    }

    [Fact]
    public async Task Each_command_gets_its_own_request_id()
    {
        _target.Script = (_, _) => SwapCommandStatus.Done;
        await _channel.SendAsync(2, Terminate(), Timeout, CancellationToken.None).WaitAsync(Deadline);
        await _channel.SendAsync(2, Terminate(), Timeout, CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(2, _target.Received.Select(r => r.Command.RequestId).Distinct().Count());
    }

    [Fact]
    public async Task Cancelling_the_wait_throws_instead_of_answering_none()
    {
        using var cancel = new CancellationTokenSource();
        Task<Frame?> send = _channel.SendAsync(2, Terminate(), TimeSpan.FromMinutes(1), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(Deadline));
    }

    [Fact]
    public async Task A_command_to_this_node_runs_locally_with_the_same_retries()
    {
        var local = new ConcurrentQueue<Frame>();
        var channel = new CommandChannel(_sender, _time, new FailoverSwapOptions { CommandTimeout = Timeout, CommandAttempts = Attempts }, command =>
        {
            local.Enqueue(command);
            Frame? reply = local.Count < 3 ? command with { CommandStatus = (byte)SwapCommandStatus.Pending } : command with { CommandStatus = (byte)SwapCommandStatus.Done };
            return Task.FromResult(reply);
        });

        Task<Frame?> send = channel.SendAsync(1, Terminate(), TimeSpan.FromMinutes(1), CancellationToken.None);
        await AdvanceUntilAsync(() => send.IsCompleted, "the local command is done");

        Assert.Equal((byte)SwapCommandStatus.Done, (await send.WaitAsync(Deadline))?.CommandStatus);
        Assert.Equal(3, local.Count);
        Assert.Empty(_target.Received);
    }

    /// <summary>Node 2's side: records every command and answers as the test's script says (null: silence).</summary>
    private sealed class Target : IFrameHandler
    {
        public ConcurrentQueue<(Frame Command, DateTimeOffset At)> Received { get; } = new();

        public Func<Frame, int, SwapCommandStatus?> Script { get; set; } = (_, _) => null;

        public FailoverAgent? Agent { get; set; }

        public TimeProvider? Time { get; set; }

        public void OnFrame(in Frame frame, in FrameReceipt receipt)
        {
            if (frame.Type != FrameType.WorkloadCommand)
            {
                return;
            }

            int index = Received.Count;
            Received.Enqueue((frame, Time!.GetUtcNow()));
            if (Script(frame, index) is { } status)
            {
                _ = ReplyAsync(frame, status);
            }
        }

        public async Task ReplyAsync(Frame command, SwapCommandStatus status) =>
            await Agent!.SendToPeerAsync(
                new Frame { Type = FrameType.WorkloadCommandReply, Target = command.Sender, WorkloadId = command.WorkloadId, RequestId = command.RequestId, Command = command.Command, CommandStatus = (byte)status },
                CancellationToken.None);
    }

    /// <summary>Node 1's side: replies go to the channel.</summary>
    private sealed class Replies(CommandChannel channel) : IFrameHandler
    {
        public void OnFrame(in Frame frame, in FrameReceipt receipt)
        {
            if (frame.Type == FrameType.WorkloadCommandReply)
            {
                channel.OnReply(frame);
            }
        }
    }
}
