using System.Threading.Channels;
using Failover.Sdk.Transports;
using Failover.Sdk.Wire;

namespace Failover.Sdk.Tests.Transports;

/// <summary>A frame and its receipt as a handler saw them.</summary>
internal readonly record struct ReceivedFrame(Frame Frame, FrameReceipt Receipt);

/// <summary>Records every frame a transport hands over, and lets a test wait for the next one with a deadline.</summary>
internal sealed class RecordingHandler : IFrameHandler
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly Channel<ReceivedFrame> _frames = Channel.CreateUnbounded<ReceivedFrame>();

    public int Pending => _frames.Reader.Count;

    public void OnFrame(in Frame frame, in FrameReceipt receipt) => _frames.Writer.TryWrite(new ReceivedFrame(frame, receipt));

    /// <summary>The next frame; fails the test with a <see cref="TimeoutException"/> after <see cref="Deadline"/>.</summary>
    public Task<ReceivedFrame> NextAsync() => _frames.Reader.ReadAsync().AsTask().WaitAsync(Deadline);

    public bool TryTake(out ReceivedFrame received) => _frames.Reader.TryRead(out received);
}
