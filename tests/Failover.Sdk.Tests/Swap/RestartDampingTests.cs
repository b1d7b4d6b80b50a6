using Failover.Sdk.Configuration;
using Failover.Sdk.Swap;

namespace Failover.Sdk.Tests.Swap;

/// <summary>EX-2: a workload that keeps failing soon after its start backs off, and is finally left down.</summary>
public class RestartDampingTests
{
    private static readonly FailoverRestartOptions Options = new()
    {
        StableAfter = TimeSpan.FromMinutes(1),
        MaxFailures = 6,
        BackoffInitial = TimeSpan.FromSeconds(2),
        BackoffMax = TimeSpan.FromSeconds(10),
    };

    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

    [Fact]
    public void The_first_failure_moves_the_workload_at_once()
    {
        Assert.Equal(new DampingDecision(1, TimeSpan.Zero, GiveUp: false), RestartDamping.OnFailure(Options, 0, Quick));
    }

    [Fact]
    public void Quick_failures_in_a_row_double_the_delay_up_to_BackoffMax()
    {
        int streak = 0;
        var delays = new List<TimeSpan>();
        for (int i = 0; i < Options.MaxFailures; i++)
        {
            DampingDecision decision = RestartDamping.OnFailure(Options, streak, Quick);
            Assert.False(decision.GiveUp);
            Assert.Equal(streak + 1, decision.Streak);
            delays.Add(decision.Delay);
            streak = decision.Streak;
        }

        Assert.Equal(new double[] { 0, 2, 4, 8, 10, 10 }, delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void It_gives_up_after_MaxFailures_quick_failures()
    {
        DampingDecision decision = RestartDamping.OnFailure(Options, Options.MaxFailures, Quick);
        Assert.True(decision.GiveUp);
        Assert.Equal(Options.MaxFailures + 1, decision.Streak);
        Assert.Equal(TimeSpan.Zero, decision.Delay);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(3600)]
    public void A_run_that_lasted_StableAfter_starts_the_streak_again(int seconds)
    {
        // Even right before giving up: the run proved stable, so this failure is a first one.
        DampingDecision decision = RestartDamping.OnFailure(Options, Options.MaxFailures, TimeSpan.FromSeconds(seconds));
        Assert.Equal(new DampingDecision(1, TimeSpan.Zero, GiveUp: false), decision);
    }

    [Fact]
    public void A_run_just_short_of_StableAfter_counts_as_quick()
    {
        DampingDecision decision = RestartDamping.OnFailure(Options, 2, Options.StableAfter - TimeSpan.FromTicks(1));
        Assert.Equal(new DampingDecision(3, TimeSpan.FromSeconds(4), GiveUp: false), decision);
    }

    [Fact]
    public void A_long_streak_neither_overflows_the_delay_nor_the_wire_byte()
    {
        var options = new FailoverRestartOptions
        {
            StableAfter = TimeSpan.FromMinutes(1),
            MaxFailures = byte.MaxValue - 1,
            BackoffInitial = TimeSpan.FromHours(1),
            BackoffMax = TimeSpan.FromHours(1),
        };

        DampingDecision late = RestartDamping.OnFailure(options, 200, Quick);
        Assert.Equal(new DampingDecision(201, TimeSpan.FromHours(1), GiveUp: false), late);

        // The streak travels in one byte: it stops at 255, which is past any allowed MaxFailures.
        DampingDecision last = RestartDamping.OnFailure(options, byte.MaxValue, Quick);
        Assert.Equal(byte.MaxValue, last.Streak);
        Assert.True(last.GiveUp);
    }
}
