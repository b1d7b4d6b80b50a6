namespace Failover.Sdk.Benchmarks.Quality;

/// <summary>
/// A two-sided 95 % confidence interval for a Poisson mean from one observed count, by
/// Byar's approximation of the exact (Garwood) limits: within a few percent of them from
/// a count of 1, and exact enough for the rates reported here. With no event the lower
/// limit is 0 and the upper one is the exact 3.689 (−ln 0.025).
/// </summary>
internal readonly record struct PoissonInterval(double Low, double High)
{
    private const double Z = 1.959964;

    public static PoissonInterval Of(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return new PoissonInterval(0, -Math.Log(0.025));
        }

        double n = count;
        double low = n * Math.Pow(1 - (1 / (9 * n)) - (Z / (3 * Math.Sqrt(n))), 3);
        double m = n + 1;
        double high = m * Math.Pow(1 - (1 / (9 * m)) + (Z / (3 * Math.Sqrt(m))), 3);
        return new PoissonInterval(low, high);
    }

    public PoissonInterval Per(double exposure) => new(Low / exposure, High / exposure);
}
