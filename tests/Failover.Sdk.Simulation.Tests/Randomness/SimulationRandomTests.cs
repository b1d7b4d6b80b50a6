using Failover.Sdk.Simulation.Randomness;
using FsCheck.Xunit;

namespace Failover.Sdk.Simulation.Tests.Randomness;

public sealed class SimulationRandomTests
{
    private static ulong[] Draw(SimulationRandom random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.NextUInt64())];

    [Property]
    public bool The_same_seed_gives_the_same_sequence(ulong seed) =>
        Draw(new SimulationRandom(seed), 16).SequenceEqual(Draw(new SimulationRandom(seed), 16));

    [Fact]
    public void Different_seeds_give_different_sequences()
    {
        Assert.NotEqual(Draw(new SimulationRandom(1), 4), Draw(new SimulationRandom(2), 4));
    }

    [Fact]
    public void Seed_zero_still_gives_a_lively_stream()
    {
        // xoshiro's all-zero state is a fixed point; SplitMix64 seeding must keep seed 0 away from it.
        ulong[] values = Draw(new SimulationRandom(0), 8);
        Assert.Equal(8, values.Distinct().Count());
    }

    [Property]
    public bool A_fork_depends_only_on_the_seed_and_the_name(ulong seed, byte drawsBefore)
    {
        var used = new SimulationRandom(seed);
        Draw(used, drawsBefore);
        return Draw(used.Fork("network"), 8).SequenceEqual(Draw(new SimulationRandom(seed).Fork("network"), 8));
    }

    [Fact]
    public void Forks_with_different_names_are_different_streams_and_differ_from_the_parent()
    {
        var root = new SimulationRandom(42);
        ulong[] network = Draw(root.Fork("network"), 4);
        ulong[] node1 = Draw(root.Fork("node-1"), 4);
        ulong[] parent = Draw(new SimulationRandom(42), 4);

        Assert.NotEqual(network, node1);
        Assert.NotEqual(network, parent);
    }

    [Property]
    public bool Next_stays_below_its_bound(ulong seed, int max)
    {
        int bound = Math.Max(1, Math.Abs(max % 1_000_000) + 1);
        var random = new SimulationRandom(seed);
        return Enumerable.Range(0, 64).Select(_ => random.Next(bound)).All(v => v >= 0 && v < bound);
    }

    [Property]
    public bool NextDouble_is_in_the_unit_interval(ulong seed)
    {
        var random = new SimulationRandom(seed);
        return Enumerable.Range(0, 64).Select(_ => random.NextDouble()).All(v => v is >= 0 and < 1);
    }

    [Fact]
    public void Next_covers_every_value_of_a_small_range_roughly_evenly()
    {
        var random = new SimulationRandom(7);
        int[] counts = new int[6];
        for (int i = 0; i < 60_000; i++)
        {
            counts[random.Next(6)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_000, 11_000));
    }

    [Fact]
    public void Next_rejects_a_bound_that_is_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulationRandom(1).Next(0));
    }

    [Fact]
    public void The_sequence_is_pinned_so_a_recorded_seed_replays_forever()
    {
        // Golden values: if this fails, the algorithm changed and every recorded seed is void.
        Assert.Equal(Golden, Draw(new SimulationRandom(12345), 4));
    }

    // Cross-checked against an independent transcription of the reference C (SplitMix64 seeding, xoshiro256**).
    private static readonly ulong[] Golden = [13720838825685603483, 2398916695208396998, 17770384849984869256, 891717726879801395];
}
