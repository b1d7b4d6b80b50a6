using Failover.Sdk.Simulation.Journal;

namespace Failover.Sdk.Simulation.Tests.Support;

/// <summary>Small queries over a journal that several tests share.</summary>
internal static class JournalExtensions
{
    /// <summary>Entries at or after <paramref name="from"/> and before <paramref name="until"/>.</summary>
    public static IEnumerable<T> Within<T>(this IEnumerable<T> entries, TimeSpan from, TimeSpan until)
        where T : JournalEntry => entries.Where(e => e.At >= from && e.At < until);

    /// <summary>When the delivered frame was sent.</summary>
    public static TimeSpan SentAt(this FrameDelivered delivered) => delivered.At - delivered.Latency;

    /// <summary>Whether the frame went from or to <paramref name="node"/>.</summary>
    public static bool Involves(this FrameSent frame, uint node) => frame.From == node || frame.To == node;

    /// <inheritdoc cref="Involves(FrameSent, uint)"/>
    public static bool Involves(this FrameLost frame, uint node) => frame.From == node || frame.To == node;

    /// <inheritdoc cref="Involves(FrameSent, uint)"/>
    public static bool Involves(this FrameDelivered frame, uint node) => frame.From == node || frame.To == node;
}
