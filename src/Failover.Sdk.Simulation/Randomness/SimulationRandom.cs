using System.Numerics;

namespace Failover.Sdk.Simulation.Randomness;

/// <summary>
/// The simulator's seeded source of randomness: the same seed gives the same sequence on
/// every machine and every .NET version, so a failing run replays from its seed.
/// </summary>
/// <remarks>
/// <para>
/// The algorithm is xoshiro256** (Blackman and Vigna), seeded through SplitMix64, written
/// out here on purpose: <see cref="Random"/>'s seeded algorithm is documented as an
/// implementation detail that may change between .NET versions, which would silently
/// break replay.
/// </para>
/// <para>
/// <see cref="Fork"/> gives each part of a simulation (the network, each node, the fault
/// schedule) its own stream, derived only from this source's seed and the name, so adding a
/// draw in one part never shifts the numbers another part sees. Not thread-safe, and not
/// for cryptography.
/// </para>
/// </remarks>
public sealed class SimulationRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a stream from <paramref name="seed"/>.</summary>
    public SimulationRandom(ulong seed)
    {
        Seed = seed;
        ulong mix = seed;
        _s0 = SplitMix64(ref mix);
        _s1 = SplitMix64(ref mix);
        _s2 = SplitMix64(ref mix);
        _s3 = SplitMix64(ref mix);
    }

    /// <summary>The seed this stream started from: log it, and the run can be replayed.</summary>
    public ulong Seed { get; }

    /// <summary>The next 64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniformly random double in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniformly random integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);

        // Lemire's multiply-and-reject: the high half of a 64x32 product is uniform once the
        // few low results that would favour small values are redrawn.
        ulong bound = (ulong)maxExclusive;
        ulong product = (NextUInt64() >> 32) * bound;
        ulong low = product & uint.MaxValue;
        if (low < bound)
        {
            ulong threshold = (uint.MaxValue + 1UL - bound) % bound;
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * bound;
                low = product & uint.MaxValue;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>
    /// An independent stream named <paramref name="name"/>: the same seed and name always
    /// give the same stream, however much this one has been drawn from.
    /// </summary>
    public SimulationRandom Fork(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ulong mix = Seed ^ Fnv1a64(name);
        return new SimulationRandom(SplitMix64(ref mix));
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>FNV-1a over the name's UTF-16 code units: <see cref="string.GetHashCode()"/> is randomized per process, so it cannot name a stream.</summary>
    private static ulong Fnv1a64(string name)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in name)
        {
            hash = (hash ^ (byte)c) * 0x100000001B3UL;
            hash = (hash ^ (byte)(c >> 8)) * 0x100000001B3UL;
        }

        return hash;
    }
}
