using Failover.Sdk.Configuration;

namespace Failover.Sdk.Swap;

/// <summary>
/// Restart damping (EX-2) as a pure rule. The streak counts failures in a row that each came
/// within <see cref="FailoverRestartOptions.StableAfter"/> of the run's start; it travels
/// with the workload from monitor to monitor, so a workload that fails on every node backs
/// off and is finally reported instead of bouncing forever.
/// </summary>
internal static class RestartDamping
{
    /// <summary>The decision for a failure after a run of <paramref name="ranFor"/>, the streak before it being <paramref name="streakBefore"/>.</summary>
    public static DampingDecision OnFailure(FailoverRestartOptions options, int streakBefore, TimeSpan ranFor)
    {
        int streak = ranFor >= options.StableAfter ? 1 : Math.Min(streakBefore + 1, byte.MaxValue);
        if (streak > options.MaxFailures)
        {
            return new DampingDecision(streak, TimeSpan.Zero, GiveUp: true);
        }

        // The first failure of a streak moves at once; each further one waits twice as long.
        TimeSpan delay = TimeSpan.Zero;
        if (streak >= 2)
        {
            double factor = Math.Pow(2, streak - 2);
            delay = TimeSpan.FromTicks((long)Math.Min(options.BackoffMax.Ticks, options.BackoffInitial.Ticks * factor));
        }

        return new DampingDecision(streak, delay, GiveUp: false);
    }
}

/// <summary>What <see cref="RestartDamping"/> decided for one failure.</summary>
/// <param name="Streak">The failures in a row, this one included.</param>
/// <param name="Delay">How long to wait before moving the workload.</param>
/// <param name="GiveUp">Whether to leave it down and report it instead.</param>
internal readonly record struct DampingDecision(int Streak, TimeSpan Delay, bool GiveUp);
