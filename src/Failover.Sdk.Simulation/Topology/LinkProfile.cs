namespace Failover.Sdk.Simulation.Topology;

/// <summary>
/// How a stretch of network treats each frame crossing it: a LAN segment or a WAN link.
/// Every draw is independent, from the simulation's seeded randomness.
/// </summary>
/// <remarks>
/// A frame's delay is <see cref="Latency"/> plus a uniform draw in
/// [-<see cref="Jitter"/>, +<see cref="Jitter"/>] (never below zero), summed over every
/// stretch it crosses. Jitter larger than the gap between two frames reorders them, as on
/// a real network; <see cref="Reordering"/> reorders on top of that by holding a frame back
/// one extra latency plus jitter, as netem's reorder does.
/// </remarks>
public sealed record LinkProfile
{
    /// <summary>A perfect link: no delay, no loss. Frames still arrive as separate events.</summary>
    public static LinkProfile Ideal { get; } = new();

    /// <summary>A switched LAN: 100 µs, 20 µs of jitter, nothing lost.</summary>
    public static LinkProfile Lan { get; } = new() { Latency = TimeSpan.FromMicroseconds(100), Jitter = TimeSpan.FromMicroseconds(20) };

    /// <summary>A WAN between sites: 20 ms, 2 ms of jitter, nothing lost.</summary>
    public static LinkProfile Wan { get; } = new() { Latency = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(2) };

    /// <summary>The one-way delay before jitter.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>The most a frame's delay differs from <see cref="Latency"/>, either way.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>The probability, 0 to 1, that a frame is lost.</summary>
    public double Loss { get; init; }

    /// <summary>The probability, 0 to 1, that a frame arrives twice.</summary>
    public double Duplication { get; init; }

    /// <summary>The probability, 0 to 1, that a frame is held back so later frames overtake it.</summary>
    public double Reordering { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="owner"/> when a value is out of range.</summary>
    internal void Validate(string owner)
    {
        if (Latency < TimeSpan.Zero || Jitter < TimeSpan.Zero)
        {
            throw new ArgumentException($"{owner}: latency ({Latency}) and jitter ({Jitter}) must not be negative.");
        }

        CheckProbability(owner, nameof(Loss), Loss);
        CheckProbability(owner, nameof(Duplication), Duplication);
        CheckProbability(owner, nameof(Reordering), Reordering);
    }

    private static void CheckProbability(string owner, string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentException($"{owner}: {name} is {value}; a probability must be between 0 and 1.");
        }
    }
}
