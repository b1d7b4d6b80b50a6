namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>Mean and nearest-rank percentiles of a sample of durations, in milliseconds.</summary>
internal sealed record Summary(int Count, double Mean, double Median, double P99, double Min, double Max)
{
    public static Summary Of(IEnumerable<TimeSpan> sample)
    {
        double[] sorted = [.. sample.Select(s => s.TotalMilliseconds).Order()];
        if (sorted.Length == 0)
        {
            return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        return new Summary(sorted.Length, sorted.Average(), Rank(sorted, 0.5), Rank(sorted, 0.99), sorted[0], sorted[^1]);
    }

    /// <summary>The nearest-rank percentile: the smallest value with at least <paramref name="q"/> of the sample at or below it.</summary>
    private static double Rank(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
