using Failover.Sdk.Wire;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Failover.Sdk.Tests.Wire;

/// <summary><see cref="ReplayWindow"/> decides exactly as the rules of <c>docs/wire-protocol.md</c> say.</summary>
[Properties(Arbitrary = [typeof(WireArbitraries)])]
public class ReplayWindowTests
{
    [Property(MaxTest = 1000)]
    public void Window_agrees_with_the_reference_model_on_any_script(ReplayStep[] script)
    {
        var window = new ReplayWindow(capacity: 4);
        var model = new ReplayWindowModel(capacity: 4);

        for (int i = 0; i < script.Length; i++)
        {
            ReplayStep step = script[i];
            Assert.True(
                model.Check(step) == window.Check(step.Sender, step.Path, step.Incarnation, step.Sequence),
                $"step {i}: {step}");
        }
    }

    [Property(MaxTest = 300)]
    public Property Reordered_frames_inside_the_window_are_accepted_once() =>
        Prop.ForAll(
            Gen.Elements(0UL, 5_000UL, ulong.MaxValue - 63).SelectMany(start =>
                Gen.Shuffle(Enumerable.Range(0, 64).Select(i => start + (ulong)i))).ToArbitrary(),
            order =>
            {
                var window = new ReplayWindow(capacity: 1);

                foreach (ulong sequence in order)
                {
                    Assert.Equal(FrameRejectReason.None, window.Check(1, 0, 0, sequence));
                }

                foreach (ulong sequence in order)
                {
                    Assert.Equal(FrameRejectReason.Replayed, window.Check(1, 0, 0, sequence));
                }

                ulong lowest = order.Min();
                if (lowest > 0)
                {
                    Assert.Equal(FrameRejectReason.Stale, window.Check(1, 0, 0, lowest - 1));
                }
            });

    [Fact]
    public void Jump_beyond_the_window_forgets_everything_older()
    {
        var window = new ReplayWindow(capacity: 1);
        Assert.Equal(FrameRejectReason.None, window.Check(1, 0, 0, 10));

        Assert.Equal(FrameRejectReason.None, window.Check(1, 0, 0, 10 + 64));
        Assert.Equal(FrameRejectReason.Stale, window.Check(1, 0, 0, 10));
        Assert.Equal(FrameRejectReason.None, window.Check(1, 0, 0, 11));
        Assert.Equal(FrameRejectReason.Replayed, window.Check(1, 0, 0, 11));
    }

    [Fact]
    public void Capacity_below_one_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayWindow(0));
}
