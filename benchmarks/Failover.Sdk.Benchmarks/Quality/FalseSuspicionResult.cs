namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// False suspicions counted over <see cref="PairTime"/>: the sum, over every (observer, peer)
/// pair, of the virtual time watched; nothing crashed, so every suspicion is a mistake.
/// </summary>
internal sealed record FalseSuspicionResult(int Mistakes, TimeSpan PairTime, TimeSpan WallTime)
{
    public double PerPairHour => Mistakes / PairTime.TotalHours;

    /// <summary>The mean time between mistakes on one pair; infinite with none seen.</summary>
    public TimeSpan MeanTimeBetween => Mistakes == 0 ? TimeSpan.MaxValue : PairTime / Mistakes;

    public PoissonInterval PerPairHourInterval => PoissonInterval.Of(Mistakes).Per(PairTime.TotalHours);
}
